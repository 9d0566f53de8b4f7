import { daysBetween } from './calendar';
import { DomainError } from './errors';

/** Open balances by how many days past due they are, in minor units of one currency. */
export interface AgingBuckets {
  /** Not yet due (due today or later). */
  current: number;
  d1_30: number;
  d31_60: number;
  d61_90: number;
  d90_plus: number;
}

/** All five buckets at zero. */
export function emptyAgingBuckets(): AgingBuckets {
  return { current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0 };
}

/** The aging bucket of a balance that is `daysPastDue` days past its due date (0 or less: current). */
export function agingBucketOf(daysPastDue: number): keyof AgingBuckets {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'd1_30';
  if (daysPastDue <= 60) return 'd31_60';
  if (daysPastDue <= 90) return 'd61_90';
  return 'd90_plus';
}

/**
 * Aging analysis on `asOf`, per currency. Invoices with no positive balance are left out: credit
 * balances are money owed to the customer, and netting them here would hide overdue debt.
 */
export function agingBuckets(
  invoices: readonly { currency: string; balanceMinor: number; dueDate: string }[],
  asOf: string,
): Record<string, AgingBuckets> {
  const result: Record<string, AgingBuckets> = {};
  for (const invoice of invoices) {
    if (!Number.isSafeInteger(invoice.balanceMinor)) {
      throw new DomainError('invalid_money', `Balance must be a safe integer, got ${invoice.balanceMinor}`);
    }
    if (invoice.balanceMinor <= 0) continue;
    result[invoice.currency] ??= emptyAgingBuckets();
    const buckets = result[invoice.currency]!;
    const bucket = agingBucketOf(daysBetween(invoice.dueDate, asOf));
    const sum = buckets[bucket] + invoice.balanceMinor;
    if (!Number.isSafeInteger(sum)) {
      throw new DomainError('invalid_money', `Aging total for ${invoice.currency} exceeds the safe range`);
    }
    buckets[bucket] = sum;
  }
  return result;
}

/**
 * Days sales outstanding: receivables at the end of the period ÷ credit sales during it × days in
 * the period, rounded half-up to one decimal. Both amounts are minor units of one currency. With no
 * credit sales the ratio is undefined: 0 when nothing is owed, otherwise Infinity.
 */
export function computeDso(input: {
  receivablesMinor: number;
  creditSalesMinor: number;
  periodDays: number;
}): number {
  const { receivablesMinor, creditSalesMinor, periodDays } = input;
  for (const [name, value] of Object.entries(input)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new DomainError('invalid_input', `${name} must be a non-negative whole number, got ${value}`);
    }
  }
  if (periodDays < 1) throw new DomainError('invalid_input', 'periodDays must be at least 1');
  if (creditSalesMinor === 0) return receivablesMinor === 0 ? 0 : Number.POSITIVE_INFINITY;
  // Tenths of a day, computed exactly so that 12.25 rounds to 12.3 rather than to float noise.
  const numerator = BigInt(receivablesMinor) * BigInt(periodDays) * 10n;
  const denominator = BigInt(creditSalesMinor);
  const tenths = (2n * numerator + denominator) / (2n * denominator);
  return Number(tenths) / 10;
}
