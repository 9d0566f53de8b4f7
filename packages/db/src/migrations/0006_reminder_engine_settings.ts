import { type Kysely, sql } from 'kysely';

// Frozen. Policy settings the send path honours (sending on business days only, merging across
// channels, how often a promise may be renewed, which statutory late-charge rule applies), and a `cancelled` message: one recorded for a
// step that was then skipped (the invoice was paid before delivery), which covers no other invoice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE reminder_policies
      ADD COLUMN business_days_only boolean NOT NULL DEFAULT true,
      ADD COLUMN merge_across_channels boolean NOT NULL DEFAULT false,
      ADD COLUMN max_promise_renewals integer NOT NULL DEFAULT 1
        CHECK (max_promise_renewals BETWEEN 0 AND 10),
      ADD COLUMN late_charges_jurisdiction text NOT NULL DEFAULT 'auto'
        CHECK (late_charges_jurisdiction IN ('auto', 'eu', 'de', 'fr', 'pl', 'uk'));

    ALTER TABLE communications DROP CONSTRAINT communications_status_check;
    ALTER TABLE communications ADD CONSTRAINT communications_status_check
      CHECK (status IN ('pending', 'sent', 'failed', 'cancelled'));
  `.execute(db);
}
