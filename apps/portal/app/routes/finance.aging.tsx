import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { AppError, getAgingReport, listCustomerInvoices } from '@settle/core';
import { daysBetween } from '@settle/domain';
import { BarChart } from '../components/finance/bar-chart';
import { db } from '../db.server';
import { money, requireFinance } from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Aging — Settle finance' }];

const BUCKETS = [
  ['current', 'Not yet due'],
  ['d1_30', '1–30 days'],
  ['d31_60', '31–60 days'],
  ['d61_90', '61–90 days'],
  ['d90_plus', 'Over 90 days'],
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const url = new URL(request.url);
  const asOf = url.searchParams.get('asOf') || undefined;
  const customerId = url.searchParams.get('customer') || undefined;
  let report: Awaited<ReturnType<typeof getAgingReport>>;
  try {
    report = await getAgingReport(db, { organizationId: staff.organizationId, ...(asOf ? { asOf } : {}) });
  } catch (error) {
    if (error instanceof AppError && error.code === 'VALIDATION') {
      throw new Response(error.userMessage, { status: 400 });
    }
    throw error;
  }
  const selected = customerId ? report.customers.filter((c) => c.customerId === customerId) : [];
  const invoices =
    selected.length > 0 && customerId
      ? (await listCustomerInvoices({ db }, { organizationId: staff.organizationId, customerId }))
          .filter((i) => i.status === 'open' && i.issue_date <= report.asOf)
          .map((i) => ({
            id: i.id,
            number: i.number,
            dueDate: i.due_date,
            daysPastDue: Math.max(0, daysBetween(i.due_date, report.asOf)),
            balance: money(i.total_minor - i.paid_minor, i.currency),
          }))
      : [];
  return {
    asOf: report.asOf,
    currencies: report.currencies.map((c) => ({
      currency: c.currency,
      total: money(c.totalMinor, c.currency),
      invoiceCount: c.invoiceCount,
      buckets: BUCKETS.map(([key, label]) => ({
        key,
        label,
        value: c.buckets[key],
        display: money(c.buckets[key], c.currency),
        count: c.invoiceCounts[key],
      })),
      customers: report.customers
        .filter((row) => row.currency === c.currency)
        .sort((a, b) => b.totalMinor - a.totalMinor)
        .map((row) => ({
          customerId: row.customerId,
          name: `${row.name} (${row.code})`,
          buckets: BUCKETS.map(([key]) => money(row.buckets[key], row.currency)),
          total: money(row.totalMinor, row.currency),
        })),
    })),
    selected: selected[0] ? { customerId: selected[0].customerId, name: selected[0].name, invoices } : null,
  };
}

export default function FinanceAging() {
  const { asOf, currencies, selected } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Aging</h1>
      <Form method="get" className="fin-inline">
        <label>
          As of
          <input type="date" name="asOf" defaultValue={asOf} />
        </label>
        <button type="submit">Show</button>
        <a href={`/finance/aging.csv?asOf=${asOf}`} download>
          Download CSV
        </a>
      </Form>
      {currencies.length === 0 ? <p>Nothing is owed.</p> : null}
      {currencies.map((c) => (
        <section key={c.currency} aria-labelledby={`aging-${c.currency}`}>
          <h2 id={`aging-${c.currency}`}>
            {c.currency}: {c.total} in {c.invoiceCount} invoices
          </h2>
          <BarChart
            title={`Aging ${c.currency} on ${asOf}`}
            bars={c.buckets.map((b) => ({ ...b, label: b.label }))}
          />
          <table>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                {BUCKETS.map(([key, label]) => (
                  <th key={key} scope="col">
                    {label}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {c.customers.map((row) => (
                <tr key={row.customerId}>
                  <th scope="row">
                    <Link to={`?asOf=${asOf}&customer=${row.customerId}`}>{row.name}</Link>
                  </th>
                  {row.buckets.map((value, index) => (
                    <td key={BUCKETS[index]?.[0]}>{value}</td>
                  ))}
                  <td>{row.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {selected ? (
        <section aria-labelledby="drill">
          <h2 id="drill">Open invoices of {selected.name}</h2>
          <p>
            <Link to={`/finance/customers/${selected.customerId}`}>Customer page</Link>
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Due</th>
                <th scope="col">Days past due</th>
                <th scope="col">Balance</th>
              </tr>
            </thead>
            <tbody>
              {selected.invoices.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/finance/invoices/${i.id}`}>{i.number}</Link>
                  </td>
                  <td>{i.dueDate}</td>
                  <td>{i.daysPastDue}</td>
                  <td>{i.balance}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
