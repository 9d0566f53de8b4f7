import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listCustomers } from '@settle/core';
import { db } from '../db.server';
import { money, requireFinance } from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Customers — Settle finance' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const rows = await listCustomers({ db }, { organizationId: staff.organizationId });
  return {
    customers: rows.map(({ customer, balances, openDisputes }) => ({
      id: customer.id,
      code: customer.code,
      name: customer.name,
      segment: customer.segment,
      email: customer.email,
      phone: customer.phone,
      open:
        balances.map((b) => `${money(b.balanceMinor, b.currency)} (${b.invoiceCount})`).join(' + ') || '–',
      creditLimit:
        customer.credit_limit_minor !== null && customer.credit_limit_currency
          ? money(customer.credit_limit_minor, customer.credit_limit_currency)
          : '–',
      openDisputes,
    })),
  };
}

export default function FinanceCustomers() {
  const { customers } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Customers</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Segment</th>
            <th scope="col">Contact</th>
            <th scope="col">Open (invoices)</th>
            <th scope="col">Credit limit</th>
            <th scope="col">Open disputes</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link to={`/finance/customers/${c.id}`}>
                  {c.name} ({c.code})
                </Link>
              </th>
              <td>{c.segment ?? '–'}</td>
              <td>
                {c.email ?? ''} {c.phone ?? ''}
              </td>
              <td>{c.open}</td>
              <td>{c.creditLimit}</td>
              <td>{c.openDisputes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
