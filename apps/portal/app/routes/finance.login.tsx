import { type ActionFunctionArgs, type MetaFunction, redirect } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { signInStaff } from '@settle/core';
import { db } from '../db.server';
import { financeCookie } from '../lib/finance-session.server';

export const meta: MetaFunction = () => [{ title: 'Sign in — Settle finance' }];

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get('email') ?? '');
  const password = String(form.get('password') ?? '');
  if (!email || !password)
    return Response.json({ error: 'Enter your e-mail and password.' }, { status: 400 });
  const session = await signInStaff(db, { email, password, now: new Date() });
  if (!session) return Response.json({ error: 'E-mail or password is not correct.' }, { status: 401 });
  return redirect('/finance', {
    headers: { 'Set-Cookie': await financeCookie.serialize(session.token, { expires: session.expiresAt }) },
  });
}

export default function FinanceLogin() {
  const result = useActionData<{ error?: string }>();
  return (
    <main>
      <section className="card" aria-labelledby="login-title">
        <h1 id="login-title">Finance sign-in</h1>
        <Form method="post" className="stack">
          <label htmlFor="email">E-mail</label>
          <input id="email" name="email" type="email" autoComplete="username" required />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
          {result?.error ? (
            <p role="alert" className="error">
              {result.error}
            </p>
          ) : null}
          <button type="submit">Sign in</button>
        </Form>
      </section>
    </main>
  );
}
