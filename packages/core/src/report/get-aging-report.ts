import { type Db, listReceivableGroups } from '@settle/db';
import {
  type AgingBuckets,
  agingBucketOf,
  agingBuckets,
  daysBetween,
  emptyAgingBuckets,
  isUuid,
} from '@settle/domain';
import { checkDate, invalidReportOption, organizationClock, type ReportScope } from './report-scope';

/** Invoice counts per aging bucket. */
export type AgingCounts = Record<keyof AgingBuckets, number>;

export interface AgingCurrencyTotals {
  currency: string;
  buckets: AgingBuckets;
  invoiceCounts: AgingCounts;
  totalMinor: number;
  invoiceCount: number;
}

export interface AgingCustomerRow {
  customerId: string;
  code: string;
  name: string;
  currency: string;
  buckets: AgingBuckets;
  totalMinor: number;
  invoiceCount: number;
}

export interface AgingReport {
  asOf: string;
  /** One entry per currency with a receivable balance, in currency order. */
  currencies: AgingCurrencyTotals[];
  /** Drill-down: one row per customer and currency, by customer code. */
  customers: AgingCustomerRow[];
}

function addCounts(counts: AgingCounts, bucket: keyof AgingBuckets, n: number): void {
  counts[bucket] += n;
}

function sumBuckets(buckets: AgingBuckets): number {
  return buckets.current + buckets.d1_30 + buckets.d31_60 + buckets.d61_90 + buckets.d90_plus;
}

/**
 * Aging analysis at the end of `asOf`: receivable balances by days past due (current = not yet due,
 * 1–30, 31–60, 61–90, over 90), per currency with invoice counts, and per customer for drill-down.
 */
export async function getAgingReport(
  db: Db,
  options: ReportScope & { asOf?: string; customerId?: string },
): Promise<AgingReport> {
  checkDate('asOf', options.asOf);
  if (options.customerId !== undefined && !isUuid(options.customerId)) {
    throw invalidReportOption('customerId', 'expected a customer id');
  }
  const { timeZone, today } = await organizationClock(db, options);
  const asOf = options.asOf ?? today;
  const groups = await listReceivableGroups(db, {
    organizationId: options.organizationId,
    asOf,
    timeZone,
    ...(options.customerId !== undefined ? { customerId: options.customerId } : {}),
  });
  const byCurrency = agingBuckets(
    groups.map((g) => ({ currency: g.currency, balanceMinor: g.balanceMinor, dueDate: g.dueDate })),
    asOf,
  );
  const counts = new Map<string, AgingCounts>();
  const customers = new Map<string, AgingCustomerRow & { rows: typeof groups }>();
  for (const group of groups) {
    const bucket = agingBucketOf(daysBetween(group.dueDate, asOf));
    let currencyCounts = counts.get(group.currency);
    if (!currencyCounts) {
      currencyCounts = emptyAgingBuckets();
      counts.set(group.currency, currencyCounts);
    }
    addCounts(currencyCounts, bucket, group.invoiceCount);
    const key = `${group.customerId}|${group.currency}`;
    let row = customers.get(key);
    if (!row) {
      row = {
        customerId: group.customerId,
        code: group.customerCode,
        name: group.customerName,
        currency: group.currency,
        buckets: emptyAgingBuckets(),
        totalMinor: 0,
        invoiceCount: 0,
        rows: [],
      };
      customers.set(key, row);
    }
    row.rows.push(group);
    row.invoiceCount += group.invoiceCount;
  }
  return {
    asOf,
    currencies: Object.keys(byCurrency)
      .sort()
      .map((currency) => {
        const buckets = byCurrency[currency] ?? emptyAgingBuckets();
        const invoiceCounts = counts.get(currency) ?? emptyAgingBuckets();
        return {
          currency,
          buckets,
          invoiceCounts,
          totalMinor: sumBuckets(buckets),
          invoiceCount: sumBuckets(invoiceCounts),
        };
      }),
    customers: [...customers.values()].map(({ rows, ...row }) => {
      // The same pure bucketing as the currency totals, so drill-down rows add up to them.
      const buckets =
        agingBuckets(
          rows.map((g) => ({ currency: g.currency, balanceMinor: g.balanceMinor, dueDate: g.dueDate })),
          asOf,
        )[row.currency] ?? emptyAgingBuckets();
      return { ...row, buckets, totalMinor: sumBuckets(buckets) };
    }),
  };
}
