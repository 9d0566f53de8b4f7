import { type RawBuilder, sql } from 'kysely';
import type { DbOrTx } from '../client';

/**
 * Report queries. Calendar dates (`YYYY-MM-DD`) are days in the organization's time zone; a day ends
 * at the next local midnight, so a payment received at 23:30 local time counts on that day.
 *
 * An invoice is receivable at the end of day D when it was issued by D, is not void (a voided invoice
 * was raised in error and never counted), was not written off or marked paid by then, and the
 * confirmed or paid-out payments allocated to it and received by then leave a positive balance.
 * Invoices handed over to collections are still owed and stay receivable.
 */

/** The instant a local calendar day ends (the next day's local midnight). */
function endOfDay(date: string, timeZone: string): RawBuilder<Date> {
  return sql<Date>`((${date}::date + 1)::timestamp AT TIME ZONE ${timeZone})`;
}

/** The instant a local calendar day starts. */
function startOfDay(date: string, timeZone: string): RawBuilder<Date> {
  return sql<Date>`(${date}::date::timestamp AT TIME ZONE ${timeZone})`;
}

/** Common table expressions `paid` and `receivable` (one row per receivable invoice at `asOf`). */
function receivableAt(options: {
  organizationId: string;
  asOf: string;
  timeZone: string;
}): RawBuilder<unknown> {
  const end = endOfDay(options.asOf, options.timeZone);
  return sql`
    paid AS (
      SELECT a.invoice_id, SUM(a.amount_minor) AS paid_minor
      FROM payment_allocations a
      JOIN payments p ON p.organization_id = a.organization_id AND p.id = a.payment_id
      WHERE a.organization_id = ${options.organizationId}
        AND p.status IN ('confirmed', 'paid_out')
        AND p.received_at < ${end}
      GROUP BY a.invoice_id
    ),
    receivable AS (
      SELECT i.id, i.customer_id, i.currency, i.due_date,
             i.total_minor - COALESCE(paid.paid_minor, 0) AS balance_minor
      FROM invoices i
      LEFT JOIN paid ON paid.invoice_id = i.id
      WHERE i.organization_id = ${options.organizationId}
        AND i.status <> 'void'
        AND i.issue_date <= ${options.asOf}::date
        AND (i.status <> 'written_off' OR i.closed_at IS NULL OR i.closed_at >= ${end})
        AND (i.status <> 'paid' OR i.paid_at IS NULL OR i.paid_at >= ${end})
        AND i.total_minor - COALESCE(paid.paid_minor, 0) > 0
    )`;
}

export interface ReceivableGroup {
  customerId: string;
  customerCode: string;
  customerName: string;
  currency: string;
  dueDate: string;
  balanceMinor: number;
  invoiceCount: number;
}

/** Receivable balances at the end of `asOf`, summed per customer, currency and due date. */
export async function listReceivableGroups(
  db: DbOrTx,
  options: { organizationId: string; asOf: string; timeZone: string; customerId?: string },
): Promise<ReceivableGroup[]> {
  const customerFilter =
    options.customerId === undefined ? sql`` : sql`AND c.id = ${options.customerId}::uuid`;
  const result = await sql<ReceivableGroup>`
    WITH ${receivableAt(options)}
    SELECT c.id AS "customerId", c.code AS "customerCode", c.name AS "customerName",
           r.currency, r.due_date AS "dueDate",
           SUM(r.balance_minor)::bigint AS "balanceMinor", COUNT(*)::bigint AS "invoiceCount"
    FROM receivable r
    JOIN customers c ON c.organization_id = ${options.organizationId} AND c.id = r.customer_id
    WHERE true ${customerFilter}
    GROUP BY c.id, c.code, c.name, r.currency, r.due_date
    ORDER BY c.code, r.currency, r.due_date`.execute(db);
  return result.rows;
}

/** Receivables at the end of `asOf`, per currency. */
export async function sumReceivables(
  db: DbOrTx,
  options: { organizationId: string; asOf: string; timeZone: string },
): Promise<{ currency: string; amountMinor: number }[]> {
  const result = await sql<{ currency: string; amountMinor: number }>`
    WITH ${receivableAt(options)}
    SELECT currency, SUM(balance_minor)::bigint AS "amountMinor"
    FROM receivable GROUP BY currency ORDER BY currency`.execute(db);
  return result.rows;
}

/** Credit sales: totals of the invoices issued from `from` to `to` (inclusive), void ones left out. */
export async function sumCreditSales(
  db: DbOrTx,
  options: { organizationId: string; from: string; to: string },
): Promise<{ currency: string; amountMinor: number }[]> {
  const result = await sql<{ currency: string; amountMinor: number }>`
    SELECT currency, SUM(total_minor)::bigint AS "amountMinor"
    FROM invoices
    WHERE organization_id = ${options.organizationId}
      AND status <> 'void'
      AND issue_date BETWEEN ${options.from}::date AND ${options.to}::date
    GROUP BY currency ORDER BY currency`.execute(db);
  return result.rows;
}

export interface CollectedRow {
  currency: string;
  /** Everything received, including any part kept as customer credit. */
  collectedMinor: number;
  /** The part of `collectedMinor` paid through the debtor portal. */
  viaPortalMinor: number;
  /** The part of `collectedMinor` allocated to invoices. */
  allocatedMinor: number;
  paymentCount: number;
}

/** Confirmed and paid-out payments received from `from` to `to` (local days, inclusive), per currency. */
export async function sumCollectedPayments(
  db: DbOrTx,
  options: { organizationId: string; from: string; to: string; timeZone: string },
): Promise<CollectedRow[]> {
  const result = await sql<CollectedRow>`
    WITH allocated AS (
      SELECT payment_id, SUM(amount_minor) AS amount_minor
      FROM payment_allocations
      WHERE organization_id = ${options.organizationId}
      GROUP BY payment_id
    )
    SELECT p.currency,
           SUM(p.amount_minor)::bigint AS "collectedMinor",
           COALESCE(SUM(p.amount_minor) FILTER (WHERE p.via_portal), 0)::bigint AS "viaPortalMinor",
           COALESCE(SUM(allocated.amount_minor), 0)::bigint AS "allocatedMinor",
           COUNT(*)::bigint AS "paymentCount"
    FROM payments p
    LEFT JOIN allocated ON allocated.payment_id = p.id
    WHERE p.organization_id = ${options.organizationId}
      AND p.status IN ('confirmed', 'paid_out')
      AND p.received_at >= ${startOfDay(options.from, options.timeZone)}
      AND p.received_at < ${endOfDay(options.to, options.timeZone)}
    GROUP BY p.currency ORDER BY p.currency`.execute(db);
  return result.rows;
}
