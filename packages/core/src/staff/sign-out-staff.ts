import type { DbOrTx } from '@settle/db';
import { hashToken } from '../hash-token';

/** Ends the session behind a cookie token at once. */
export async function signOutStaff(db: DbOrTx, token: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', hashToken(token))
    .execute();
}
