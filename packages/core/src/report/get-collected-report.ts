import { type Db, sumCollectedPayments } from '@settle/db';
import { checkDate, organizationClock, type ReportScope, resolvePeriod } from './report-scope';

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
