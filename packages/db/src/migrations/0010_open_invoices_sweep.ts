import { type Kysely, sql } from 'kysely';

// Frozen. The invoice workflow sweep pages through every open invoice of every organization by id; a
// partial index keeps each page one short index range however many invoices are closed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX invoices_open_id_idx ON invoices (id) WHERE status = 'open'`.execute(db);
}
