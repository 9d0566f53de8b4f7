import { createCookie, redirect } from '@remix-run/node';
import { findStaffSession, type StaffSession } from '@settle/core';
import { db } from '../db.server';
import { env } from '../env.server';

/**
 * The staff session cookie: HttpOnly, SameSite=Lax, and Secure whenever the portal is served over
 * HTTPS (remix-serve always runs with NODE_ENV=production, even locally). Path `/`, not `/finance`:
 * Remix fetches loader data from `/finance.data`, which a `/finance` cookie path does not cover.
 */
export const financeCookie = createCookie('settle_finance', {
  httpOnly: true,
  sameSite: 'lax',
  secure: new URL(env.PORTAL_BASE_URL).protocol === 'https:',
  path: '/',
});

export async function sessionToken(request: Request): Promise<string | null> {
  const value = await financeCookie.parse(request.headers.get('Cookie'));
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The signed-in staff member, or a redirect to the sign-in page. */
export async function requireStaff(request: Request): Promise<StaffSession> {
  const token = await sessionToken(request);
  const session = token ? await findStaffSession(db, { token, now: new Date() }) : null;
  if (!session) throw redirect('/finance/login');
  return session;
}
