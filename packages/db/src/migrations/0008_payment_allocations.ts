import { type Kysely, sql } from 'kysely';

// Frozen. A payment keeps what it allocated, fixed, and what refunds and charge-backs have taken back
// from each part, so a cumulative reversal (Stripe's `amount_refunded`) is computed from the
// allocation and never from what is left:
// - payment_allocations.position: the order the payment paid its invoices in (0 = first);
// - payment_allocations.reversed_minor: how much of that allocation has been taken back;
// - payments.credit_minor now stays what the payment put into customer credit (reversals used to
//   lower it), and payments.credit_reversed_minor says how much of that credit was taken back.
//
// Backfill of existing rows, from what the earlier code did (credit first, then the invoice paid last):
// the credit already taken back is the part of the amount placed neither on invoices nor in the
// remaining credit, capped by `reversed_minor`; a payment that was never applied (a currency mismatch
// or no invoice, which left a `payment-review/<id>` task) put nothing into credit. The rest of
// `reversed_minor` is spread over the allocations from the last position back.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE payment_allocations
      ADD COLUMN position integer NOT NULL DEFAULT 0,
      ADD COLUMN reversed_minor bigint NOT NULL DEFAULT 0;
    ALTER TABLE payments ADD COLUMN credit_reversed_minor bigint NOT NULL DEFAULT 0;

    UPDATE payment_allocations a
    SET position = ordered.position
    FROM (
      SELECT a2.payment_id, a2.invoice_id,
        (row_number() OVER (PARTITION BY a2.payment_id ORDER BY i.due_date, i.number, i.id) - 1)::integer
          AS position
      FROM payment_allocations a2 JOIN invoices i ON i.id = a2.invoice_id
    ) ordered
    WHERE a.payment_id = ordered.payment_id AND a.invoice_id = ordered.invoice_id;

    WITH placed AS (
      SELECT p.id,
        LEAST(
          p.reversed_minor,
          GREATEST(0, p.amount_minor - p.credit_minor - COALESCE(SUM(a.amount_minor), 0))
        ) AS credit_taken
      FROM payments p LEFT JOIN payment_allocations a ON a.payment_id = p.id
      WHERE p.reversed_minor > 0
        AND NOT EXISTS (
          SELECT 1 FROM tasks t
          WHERE t.organization_id = p.organization_id AND t.idempotency_key = 'payment-review/' || p.id
        )
      GROUP BY p.id
    )
    UPDATE payments p
    SET credit_minor = p.credit_minor + placed.credit_taken, credit_reversed_minor = placed.credit_taken
    FROM placed
    WHERE p.id = placed.id;

    UPDATE payment_allocations a
    SET reversed_minor = spread.reversed_minor
    FROM (
      SELECT a2.payment_id, a2.invoice_id,
        LEAST(
          a2.amount_minor,
          GREATEST(
            0,
            p.reversed_minor - p.credit_reversed_minor - COALESCE(
              SUM(a2.amount_minor) OVER (
                PARTITION BY a2.payment_id ORDER BY a2.position DESC
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
              ),
              0
            )
          )
        ) AS reversed_minor
      FROM payment_allocations a2 JOIN payments p ON p.id = a2.payment_id
      WHERE p.reversed_minor > 0
    ) spread
    WHERE a.payment_id = spread.payment_id AND a.invoice_id = spread.invoice_id;

    ALTER TABLE payment_allocations
      ADD CONSTRAINT payment_allocations_position_check CHECK (position >= 0),
      ADD CONSTRAINT payment_allocations_reversed_check CHECK (reversed_minor BETWEEN 0 AND amount_minor);
    ALTER TABLE payments
      ADD CONSTRAINT payments_credit_reversed_check CHECK (credit_reversed_minor BETWEEN 0 AND credit_minor);
  `.execute(db);
}
