import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, isRouteErrorResponse, NavLink, Outlet, useLoaderData, useRouteError } from '@remix-run/react';
import { findStaffSession } from '@settle/core';
import financeStyles from '../components/finance/finance.css?url';
import { db } from '../db.server';
import { sessionToken } from '../lib/finance-session.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: financeStyles }];

const NAV = [
  { to: '/finance', label: 'Dashboard', end: true },
  { to: '/finance/disputes', label: 'Disputes' },
  { to: '/finance/tasks', label: 'Tasks' },
  { to: '/finance/aging', label: 'Aging' },
  { to: '/finance/customers', label: 'Customers' },
  { to: '/finance/outbox', label: 'Outbox' },
  { to: '/finance/payment-events', label: 'Payment events' },
  { to: '/finance/policies', label: 'Policies' },
  { to: '/finance/templates', label: 'Templates' },
];

/** The console's frame. Signed-out pages (sign-in) render without navigation; pages check access. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = await sessionToken(request);
  const staff = token ? await findStaffSession(db, { token, now: new Date() }) : null;
  return { staff: staff ? { name: staff.name, role: staff.role } : null };
}

function Shell({
  staff,
  children,
}: {
  staff: { name: string; role: string } | null;
  children: React.ReactNode;
}) {
  if (!staff) return <>{children}</>;
  return (
    <div className="fin-shell">
      <nav className="fin-nav" aria-label="Finance">
        <strong>Settle finance</strong>
        {NAV.map((item) => (
          <NavLink key={item.to} to={item.to} end={item.end ?? false}>
            {item.label}
          </NavLink>
        ))}
        <p className="who">
          {staff.name}
          <br />
          role: {staff.role}
        </p>
        <Form method="post" action="/finance/logout">
          <button type="submit">Sign out</button>
        </Form>
      </nav>
      <main className="fin-main">{children}</main>
    </div>
  );
}

export default function FinanceLayout() {
  const { staff } = useLoaderData<typeof loader>();
  return (
    <Shell staff={staff}>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message =
      typeof error.data === 'object' && error.data && 'message' in error.data
        ? String((error.data as { message: unknown }).message)
        : error.statusText;
    return (
      <main>
        <h1>
          {error.status === 403 ? 'Not allowed' : error.status === 404 ? 'Not found' : 'Something went wrong'}
        </h1>
        <p>{message}</p>
        <p>
          <a href="/finance">Back to the dashboard</a>
        </p>
      </main>
    );
  }
  return (
    <main>
      <h1>Something went wrong</h1>
      <p>The error was logged. Try again, or go back to the dashboard.</p>
      <p>
        <a href="/finance">Back to the dashboard</a>
      </p>
    </main>
  );
}
