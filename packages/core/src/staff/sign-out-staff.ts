import type { DbOrTx } from '@settle/db';
import { hashToken } from '../hash-token';

/** Ends the session behind a cookie token at once. */
export async function signOutStaff(db: DbOrTx, input: { token: string; now: Date }): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: input.now })
    .where('token_hash', '=', hashToken(input.token))
    .execute();
}
