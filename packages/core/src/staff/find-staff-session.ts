import { type DbOrTx, findLiveSessionByTokenHash } from '@settle/db';
import { hashToken } from '../hash-token';
import { SESSION_IDLE_MS, type StaffSession } from './staff-session';

/** The session behind a cookie token, or null if unknown, revoked, expired or idle too long. */
export async function findStaffSession(
  db: DbOrTx,
  input: { token: string; now: Date },
): Promise<StaffSession | null> {
  const { token, now } = input;
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
