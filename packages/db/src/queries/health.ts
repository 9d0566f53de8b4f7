import { sql } from 'kysely';
import type { DbOrTx } from '../client';

/** One round trip to PostgreSQL: resolves when the database answers, rejects with its error. */
export async function pingDatabase(db: DbOrTx): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
