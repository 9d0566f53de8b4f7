import { type Kysely, sql } from 'kysely';

// Frozen. What the payments pipeline needs beyond the initial schema:
// - a payment remembers the attempt (checkout session / billing request) it came from, how much of it
//   became customer credit, and how much a refund or charge-back has taken back since;
// - an applied provider event keeps the signals it decided on, so a retried activity repeats them
//   instead of recomputing from a state it has already changed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE payments
      ADD COLUMN attempt_id uuid REFERENCES payment_attempts(id),
      ADD COLUMN credit_minor bigint NOT NULL DEFAULT 0 CHECK (credit_minor >= 0),
      ADD COLUMN reversed_minor bigint NOT NULL DEFAULT 0 CHECK (reversed_minor >= 0);
    ALTER TABLE webhook_events ADD COLUMN result jsonb;
    CREATE INDEX payment_attempts_customer_idx ON payment_attempts (organization_id, customer_id, created_at);
  `.execute(db);
}
