import { type Db, sumCreditSales, sumReceivables } from '@settle/db';
import { computeDso } from '@settle/domain';

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

/** DSO per currency over one period: receivables at its end over its credit sales. */
export async function dsoFor(
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
