import { type Db, getOrganization } from '@settle/db';
import { addDays, daysBetween, isValidDate, localDateOf } from '@settle/domain';
import { AppError } from '../errors';

/**
 * Finance reports over one organization. Amounts are integer minor units per currency (never added
 * across currencies). Calendar dates are days in the organization's time zone; `asOf`, `from` and
 * `to` default to today there. Receivables at a date are defined in packages/db/src/queries/reports.ts:
 * issued by then, not void, not written off or paid by then, balance after the payments received by
 * then.
 */

/** The longest period a report covers, so one request cannot scan decades. */
export const MAX_REPORT_DAYS = 3_660;
export const MAX_TREND_MONTHS = 36;
/** Periods default to the last 90 days, today included. */
export const DEFAULT_REPORT_DAYS = 90;

/** Options every report takes: the tenant, and the clock that sets "today" (for tests). */
export interface ReportScope {
  organizationId: string;
  /** Defaults to the current time; "today" is its date in the organization's time zone. */
  now?: Date;
}

/** A bad report option, named by its field. */
export function invalidReportOption(field: string, message: string): AppError {
  return new AppError('VALIDATION', `${field}: ${message}`, { details: [{ field, message }] });
}

export function checkDate(field: string, value: string | undefined): void {
  if (value !== undefined && !isValidDate(value))
    throw invalidReportOption(field, 'expected a date YYYY-MM-DD');
}

/** The organization's time zone and its today, which report dates default to. */
export async function organizationClock(
  db: Db,
  scope: ReportScope,
): Promise<{ timeZone: string; today: string }> {
  const organization = await getOrganization(db, scope.organizationId);
  if (!organization) throw new AppError('NOT_FOUND', `organization ${scope.organizationId} not found`);
  const timeZone = organization.default_time_zone;
  return { timeZone, today: localDateOf((scope.now ?? new Date()).getTime(), timeZone) };
}

/** A validated period; `to` defaults to today, `from` to `to` minus 89 days (90 days in all). */
export function resolvePeriod(
  today: string,
  from: string | undefined,
  to: string | undefined,
): { from: string; to: string; periodDays: number } {
  checkDate('from', from);
  checkDate('to', to);
  const end = to ?? today;
  const start = from ?? addDays(end, -(DEFAULT_REPORT_DAYS - 1));
  if (start > end) throw invalidReportOption('from', `must not be after to (${end})`);
  const periodDays = daysBetween(start, end) + 1;
  if (periodDays > MAX_REPORT_DAYS)
    throw invalidReportOption('from', `the period may span at most ${MAX_REPORT_DAYS} days`);
  return { from: start, to: end, periodDays };
}
