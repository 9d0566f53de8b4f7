import { randomBytes } from 'node:crypto';
import { type DbOrTx, findLiveSessionByTokenHash, findUserByEmail, insertSession } from '@settle/db';
import { hashToken } from '../hash-token';
import { verifyPassword } from './passwords';

/** A staff session ends 12 hours after sign-in, or after 30 minutes without a request. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 30 * 60_000;

export interface StaffSession {
  sessionId: string;
  userId: string;
  organizationId: string;
  role: 'viewer' | 'collector' | 'admin';
  name: string;
  email: string;
}

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

/** The session behind a cookie token, or null if unknown, revoked, expired or idle too long. */
export async function findStaffSession(db: DbOrTx, token: string, now: Date): Promise<StaffSession | null> {
  const session = await findLiveSessionByTokenHash(db, hashToken(token), now);
  if (!session || now.getTime() - session.last_seen_at.getTime() > SESSION_IDLE_MS) return null;
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'name', 'email', 'disabled_at'])
    .where('id', '=', session.user_id)
    .executeTakeFirst();
  if (!user || user.disabled_at) return null;
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', session.id).execute();
  return {
    sessionId: session.id,
    userId: user.id,
    organizationId: session.organization_id,
    role: user.role,
    name: user.name,
    email: user.email,
  };
}

export async function signOutStaff(db: DbOrTx, token: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', hashToken(token))
    .execute();
}
