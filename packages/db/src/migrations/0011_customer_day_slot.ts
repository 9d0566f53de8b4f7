import { type Kysely, sql } from 'kysely';

// Frozen. One reminder per customer, channel slot and local day (issue 11, item 14): a reminder
// step's message names its slot ('email', 'sms', 'letter', or 'email+sms' when the policy merges
// across channels) and the customer's local day. While it is pending or sent it holds the slot; a
// failed or cancelled one frees it, so a retry or another invoice's step may take it. Notices (a
// thank-you, a payment failed) and queued messages carry no slot. The send path decides this under
// the customer's lock; the index is the safety net that no path can get past.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE communications ADD COLUMN day_slot text, ADD COLUMN slot_date date`.execute(db);
  await sql`
    CREATE UNIQUE INDEX communications_customer_day_slot
      ON communications (customer_id, day_slot, slot_date)
      WHERE day_slot IS NOT NULL AND status IN ('pending', 'sent')
  `.execute(db);
}
