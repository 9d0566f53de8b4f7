import { type Kysely, sql } from 'kysely';

// Frozen. When the latest attempt to hand a message to its provider began, written and committed
// before the provider is called. A retry that finds it set with no provider id does not know whether
// the provider took the message (the call timed out, or the worker died), so it asks the provider
// before sending again (Twilio has no idempotency key); while it is younger than the provider
// timeout, that attempt may still be waiting for its answer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE communications ADD COLUMN sending_started_at timestamptz`.execute(db);
}
