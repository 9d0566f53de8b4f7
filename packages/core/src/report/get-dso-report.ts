import type { Db } from '@settle/db';
import { type DsoReport, dsoFor } from './dso';
import { checkDate, organizationClock, type ReportScope, resolvePeriod } from './report-scope';

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
