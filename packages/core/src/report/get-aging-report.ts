import {
  type Db,
  getOrganization,
  listReceivableGroups,
  sumCollectedPayments,
  sumCreditSales,
  sumReceivables,
} from '@settle/db';
import {
  type AgingBuckets,
  addDays,
  agingBucketOf,
  agingBuckets,
  computeDso,
  daysBetween,
  emptyAgingBuckets,
  isUuid,
  isValidDate,
  localDateOf,
} from '@settle/domain';
import { AppError } from '../errors';

/**
 * Finance reports over one organization. Amounts are integer minor units per currency (never added
 * across currencies). Calendar dates are days in the organization's time zone; `asOf`, `from` and
 * `to` default to today there. Receivables at a date are defined in packages/db/src/queries/reports.ts:
 * issued by then, not void, not written off or paid by then, balance after the payments received by
 * then.
 */

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

export interface DsoCurrency {
  currency: string;
  receivablesMinor: number;
  creditSalesMinor: number;
  /** Days, one decimal; null when there were no credit sales but something is owed (undefined ratio). */
  dsoDays: number | null;
}

export interface DsoReport {
  from: string;
  to: string;
  periodDays: number;
  currencies: DsoCurrency[];
}

export interface DsoTrend {
  asOf: string;
  /** Oldest month first; the last is the month of `asOf`, measured up to `asOf`. */
  months: (DsoReport & { month: string })[];
}

export interface CollectedCurrency {
  currency: string;
  collectedMinor: number;
  viaPortalMinor: number;
  allocatedMinor: number;
  paymentCount: number;
}

export interface CollectedReport {
  from: string;
  to: string;
  currencies: CollectedCurrency[];
}

/** The longest period a report covers, so one request cannot scan decades. */
export const MAX_REPORT_DAYS = 3_660;
export const MAX_TREND_MONTHS = 36;
/** Periods default to the last 90 days, today included. */
export const DEFAULT_REPORT_DAYS = 90;

/** Options every report takes: the tenant, and the clock that sets "today" (for tests). */
interface ReportScope {
  organizationId: string;
  /** Defaults to the current time; "today" is its date in the organization's time zone. */
  now?: Date;
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION', `${field}: ${message}`, { details: [{ field, message }] });
}

function checkDate(field: string, value: string | undefined): void {
  if (value !== undefined && !isValidDate(value)) throw invalid(field, 'expected a date YYYY-MM-DD');
}

async function organizationClock(db: Db, scope: ReportScope): Promise<{ timeZone: string; today: string }> {
  const organization = await getOrganization(db, scope.organizationId);
  if (!organization) throw new AppError('NOT_FOUND', `organization ${scope.organizationId} not found`);
  const timeZone = organization.default_time_zone;
  return { timeZone, today: localDateOf((scope.now ?? new Date()).getTime(), timeZone) };
}

/** A validated period; `to` defaults to today, `from` to `to` minus 89 days (90 days in all). */
function resolvePeriod(
  today: string,
  from: string | undefined,
  to: string | undefined,
): { from: string; to: string; periodDays: number } {
  checkDate('from', from);
  checkDate('to', to);
  const end = to ?? today;
  const start = from ?? addDays(end, -(DEFAULT_REPORT_DAYS - 1));
  if (start > end) throw invalid('from', `must not be after to (${end})`);
  const periodDays = daysBetween(start, end) + 1;
  if (periodDays > MAX_REPORT_DAYS)
    throw invalid('from', `the period may span at most ${MAX_REPORT_DAYS} days`);
  return { from: start, to: end, periodDays };
}

/** The first day of the month after the one starting on `first` (a `YYYY-MM-01` date). */
function nextMonth(first: string): string {
  return `${addDays(first, 31).slice(0, 7)}-01`;
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
    throw invalid('customerId', 'expected a customer id');
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

async function dsoFor(
  db: Db,
  organizationId: string,
  timeZone: string,
  period: { from: string; to: string; periodDays: number },
): Promise<DsoReport> {
  const [receivables, sales] = await Promise.all([
    sumReceivables(db, { organizationId, asOf: period.to, timeZone }),
    sumCreditSales(db, { organizationId, from: period.from, to: period.to }),
  ]);
  const currencies = [...new Set([...receivables, ...sales].map((r) => r.currency))].sort();
  return {
    ...period,
    currencies: currencies.map((currency) => {
      const receivablesMinor = receivables.find((r) => r.currency === currency)?.amountMinor ?? 0;
      const creditSalesMinor = sales.find((r) => r.currency === currency)?.amountMinor ?? 0;
      const dso = computeDso({ receivablesMinor, creditSalesMinor, periodDays: period.periodDays });
      return { currency, receivablesMinor, creditSalesMinor, dsoDays: Number.isFinite(dso) ? dso : null };
    }),
  };
}

/**
 * Days sales outstanding over a period, per currency: receivables at the end of `to` ÷ credit sales
 * (totals of non-void invoices issued from `from` to `to`) × days in the period (both ends included),
 * rounded half up to one decimal. Defaults: the last 90 days up to today.
 */
export async function getDsoReport(
  db: Db,
  options: ReportScope & { from?: string; to?: string },
): Promise<DsoReport> {
  checkDate('from', options.from);
  checkDate('to', options.to);
  const { timeZone, today } = await organizationClock(db, options);
  const period = resolvePeriod(today, options.from, options.to);
  return dsoFor(db, options.organizationId, timeZone, period);
}

/**
 * DSO per calendar month for a chart: the last `months` months up to the month of `asOf` (default
 * today), each measured over its own days; the current month runs up to `asOf` only.
 */
export async function getDsoTrend(
  db: Db,
  options: ReportScope & { months: number; asOf?: string },
): Promise<DsoTrend> {
  checkDate('asOf', options.asOf);
  if (!Number.isInteger(options.months) || options.months < 1 || options.months > MAX_TREND_MONTHS) {
    throw invalid('months', `expected a whole number from 1 to ${MAX_TREND_MONTHS}`);
  }
  const { timeZone, today } = await organizationClock(db, options);
  const asOf = options.asOf ?? today;
  const periods: { month: string; from: string; to: string; periodDays: number }[] = [];
  let first = `${asOf.slice(0, 7)}-01`;
  for (let i = 0; i < options.months; i++) {
    const last = addDays(nextMonth(first), -1);
    const isMonthOfAsOf = asOf <= last;
    const to = isMonthOfAsOf ? asOf : last;
    periods.unshift({ month: first.slice(0, 7), from: first, to, periodDays: daysBetween(first, to) + 1 });
    first = `${addDays(first, -1).slice(0, 7)}-01`;
  }
  const months = [];
  for (const period of periods) {
    const { month: label, ...range } = period;
    months.push({ month: label, ...(await dsoFor(db, options.organizationId, timeZone, range)) });
  }
  return { asOf, months };
}

/**
 * Money collected from `from` to `to` (local days, inclusive; default the last 90 days), per currency:
 * confirmed and paid-out payments by the day they were received, the part paid through the debtor
 * portal, the part allocated to invoices (the rest became customer credit), and how many payments.
 */
export async function getCollectedReport(
  db: Db,
  options: ReportScope & { from?: string; to?: string },
): Promise<CollectedReport> {
  checkDate('from', options.from);
  checkDate('to', options.to);
  const { timeZone, today } = await organizationClock(db, options);
  const { from, to } = resolvePeriod(today, options.from, options.to);
  const currencies = await sumCollectedPayments(db, {
    organizationId: options.organizationId,
    from,
    to,
    timeZone,
  });
  return { from, to, currencies };
}
