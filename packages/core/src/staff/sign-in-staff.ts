import { randomBytes } from 'node:crypto';
import { type DbOrTx, findUserByEmail, insertSession } from '@settle/db';
import { hashToken } from '../hash-token';
import { verifyPassword } from './passwords';
import { SESSION_ABSOLUTE_MS } from './staff-session';

/**
 * Checks an e-mail and password and opens a session; the token is returned once and stored hashed.
 * Unknown e-mail and wrong password answer alike, so sign-in does not reveal who has an account.
 */
export async function signInStaff(
  db: DbOrTx,
  options: { email: string; password: string; now: Date },
): Promise<{ token: string; expiresAt: Date } | null> {
  const user = await findUserByEmail(db, options.email.trim());
  const ok = user && !user.disabled_at ? await verifyPassword(options.password, user.password_hash) : false;
  if (!user || !ok) return null;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(options.now.getTime() + SESSION_ABSOLUTE_MS);
  await insertSession(db, {
    organization_id: user.organization_id,
    user_id: user.id,
    token_hash: hashToken(token),
    expires_at: expiresAt,
    last_seen_at: options.now,
  });
  return { token, expiresAt };
}
