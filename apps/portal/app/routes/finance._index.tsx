import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getAgingReport, getCollectedReport, getDsoReport, getDsoTrend } from '@settle/core';
import { addDays } from '@settle/domain';
import { BarChart, LineChart } from '../components/finance/bar-chart';
import { db } from '../db.server';
import { money, requireFinance } from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Dashboard — Settle finance' }];

const MONTHS = 6;

/** The first and last day of each of the last `count` months up to `today` (the last one runs to today). */
function lastMonths(today: string, count: number): { month: string; from: string; to: string }[] {
  const months: { month: string; from: string; to: string }[] = [];
  let first = `${today.slice(0, 7)}-01`;
  let to = today;
  for (let i = 0; i < count; i++) {
    months.unshift({ month: first.slice(0, 7), from: first, to });
    to = addDays(first, -1);
    first = `${to.slice(0, 7)}-01`;
  }
  return months;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const scope = { organizationId: staff.organizationId };
  const [dso, trend, aging] = await Promise.all([
    getDsoReport(db, scope),
    getDsoTrend(db, { ...scope, months: MONTHS }),
    getAgingReport(db, scope),
  ]);
  const months = lastMonths(aging.asOf, MONTHS);
  const collected = await Promise.all(
    months.map(async (m) => ({
      month: m.month,
      report: await getCollectedReport(db, { ...scope, from: m.from, to: m.to }),
    })),
  );
  const currencies = [
    ...new Set([
      ...aging.currencies.map((c) => c.currency),
      ...dso.currencies.map((c) => c.currency),
      ...collected.flatMap((c) => c.report.currencies.map((x) => x.currency)),
    ]),
  ].sort();
  return {
    asOf: aging.asOf,
    dsoPeriod: { from: dso.from, to: dso.to },
    currencies: currencies.map((currency) => {
      const agingRow = aging.currencies.find((c) => c.currency === currency);
      const overdue = agingRow ? agingRow.totalMinor - agingRow.buckets.current : 0;
      const dsoRow = dso.currencies.find((c) => c.currency === currency);
      const perMonth = collected.map(({ month, report }) => {
        const row = report.currencies.find((c) => c.currency === currency);
        return { month, collectedMinor: row?.collectedMinor ?? 0, viaPortalMinor: row?.viaPortalMinor ?? 0 };
      });
      const collectedTotal = perMonth.reduce((sum, m) => sum + m.collectedMinor, 0);
      const viaPortalTotal = perMonth.reduce((sum, m) => sum + m.viaPortalMinor, 0);
      return {
        currency,
        dsoDays: dsoRow?.dsoDays ?? null,
        overdue: money(overdue, currency),
        overdueBuckets: agingRow
          ? (
              [
                ['1–30', agingRow.buckets.d1_30],
                ['31–60', agingRow.buckets.d31_60],
                ['61–90', agingRow.buckets.d61_90],
                ['90+', agingRow.buckets.d90_plus],
              ] as const
            ).map(([label, value]) => ({ label, value, display: money(value, currency) }))
          : [],
        dsoTrend: trend.months.map((m) => {
          const days = m.currencies.find((c) => c.currency === currency)?.dsoDays ?? null;
          return { label: m.month, value: days, display: days === null ? '–' : String(days) };
        }),
        collected: money(collectedTotal, currency),
        collectedBars: perMonth.map((m) => ({
          label: m.month,
          value: m.collectedMinor,
          display: money(m.collectedMinor, currency),
        })),
        portalShare: collectedTotal === 0 ? null : Math.round((viaPortalTotal / collectedTotal) * 100),
        portalBars: perMonth.map((m) => {
          const share = m.collectedMinor === 0 ? 0 : Math.round((m.viaPortalMinor / m.collectedMinor) * 100);
          return { label: m.month, value: share, display: `${share}%` };
        }),
      };
    }),
  };
}

export default function FinanceDashboard() {
  const { asOf, dsoPeriod, currencies } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Dashboard</h1>
      <p>
        As of {asOf}. DSO over {dsoPeriod.from} to {dsoPeriod.to}; collections over the last {MONTHS} months.
        Amounts are never added across currencies. <Link to="/finance/aging">Aging report</Link>
      </p>
      {currencies.length === 0 ? <p>No invoices yet.</p> : null}
      {currencies.map((c) => (
        <section key={c.currency} aria-labelledby={`cur-${c.currency}`}>
          <h2 id={`cur-${c.currency}`}>{c.currency}</h2>
          <div className="fin-grid">
            <div className="fin-card">
              <h3>DSO</h3>
              <p className="fin-figure">{c.dsoDays === null ? '–' : `${c.dsoDays} days`}</p>
              <LineChart title={`DSO per month, ${c.currency}`} points={c.dsoTrend} />
            </div>
            <div className="fin-card">
              <h3>Overdue balance</h3>
              <p className="fin-figure">{c.overdue}</p>
              <BarChart title={`Overdue by days past due, ${c.currency}`} bars={c.overdueBuckets} />
            </div>
            <div className="fin-card">
              <h3>Collected ({MONTHS} months)</h3>
              <p className="fin-figure">{c.collected}</p>
              <BarChart title={`Collected per month, ${c.currency}`} bars={c.collectedBars} />
            </div>
            <div className="fin-card">
              <h3>Paid via the portal</h3>
              <p className="fin-figure">{c.portalShare === null ? '–' : `${c.portalShare}%`}</p>
              <BarChart title={`Share paid via the portal per month, ${c.currency}`} bars={c.portalBars} />
            </div>
          </div>
        </section>
      ))}
    </>
  );
}
