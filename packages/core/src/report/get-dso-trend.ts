import type { Db } from '@settle/db';
import { addDays, daysBetween } from '@settle/domain';
import { type DsoReport, dsoFor } from './dso';
import {
  checkDate,
  invalidReportOption,
  MAX_TREND_MONTHS,
  organizationClock,
  type ReportScope,
} from './report-scope';

export interface DsoTrend {
  asOf: string;
  /** Oldest month first; the last is the month of `asOf`, measured up to `asOf`. */
  months: (DsoReport & { month: string })[];
}

/** The first day of the month after the one starting on `first` (a `YYYY-MM-01` date). */
function nextMonth(first: string): string {
  return `${addDays(first, 31).slice(0, 7)}-01`;
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
    throw invalidReportOption('months', `expected a whole number from 1 to ${MAX_TREND_MONTHS}`);
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
