import { type ActionFunctionArgs, redirect } from '@remix-run/node';
import { signOutStaff } from '@settle/core';
import { db } from '../db.server';
import { financeCookie, sessionToken } from '../lib/finance-session.server';

export async function action({ request }: ActionFunctionArgs) {
  const token = await sessionToken(request);
  if (token) await signOutStaff(db, { token, now: new Date() });
  return redirect('/finance/login', {
    headers: { 'Set-Cookie': await financeCookie.serialize('', { maxAge: 0 }) },
  });
}
