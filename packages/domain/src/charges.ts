import { daysBetween } from './calendar';
import { DomainError } from './errors';
import type { Money } from './money';
import { currencyDigits } from './money';

/** Directive 2011/7/EU art. 2(6): statutory interest is the reference rate plus at least 8 points. */
export const STATUTORY_MARGIN_BASIS_POINTS = 800;

/**
 * Fixed compensation for recovery costs per late invoice, in minor units, by currency.
 * - EUR 40: Directive 2011/7/EU art. 6(1).
 * - PLN 170: approximate. Polish law (ustawa o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach
 *   handlowych, art. 10) sets the PLN equivalent of EUR 40 / 70 / 100 by the size of the debt
 *   (below PLN 5 000 / below PLN 50 000 / above), at the NBP mid rate of the last business day of the
 *   month before payment fell due. We use the lowest tier at roughly 4.25 PLN/EUR.
 * - GBP 40: Late Payment of Commercial Debts (Interest) Act 1998 s. 5A, tier for debts under £1 000
 *   (£70 below £10 000, £100 above). We apply the lowest tier to every debt, which never over-claims.
 * Currencies not listed get no compensation (`null`) rather than a guessed figure.
 */
export const FIXED_COMPENSATION_MINOR: Readonly<Record<string, number>> = {
  EUR: 4000,
  PLN: 17000,
  GBP: 4000,
};

export interface LateChargesInput {
  principal: Money;
  dueDate: string;
  asOf: string;
  /** The reference rate in force (ECB main refinancing rate, NBP reference rate, BoE base rate). */
  referenceRateBasisPoints: number;
  /**
   * Points added to the reference rate; defaults to the directive's minimum of 800. Member states may
   * add more: Germany 900 (BGB § 288(2)), France 1000 (Code de commerce L441-10), Poland 1000 for
   * debtors other than public bodies.
   */
  marginBasisPoints?: number;
}

export interface LateCharges {
  interest: Money;
  /** Null when no fixed compensation is known for the currency. */
  compensation: Money | null;
  daysLate: number;
  annualRateBasisPoints: number;
}

const BASIS_POINTS = 10_000n;
const DAYS_PER_YEAR = 365n;

/**
 * Statutory late-payment interest and fixed compensation under Directive 2011/7/EU: simple interest
 * of principal × (reference + margin, 8 points by default) × days late / 365, rounded half-up to the
 * minor unit. Compensation is due once per late invoice, so it is zero until the invoice is late.
 */
export function computeLateCharges(input: LateChargesInput): LateCharges {
  const { principal, referenceRateBasisPoints } = input;
  currencyDigits(principal.currency);
  if (!Number.isSafeInteger(principal.amountMinor) || principal.amountMinor < 0) {
    throw new DomainError(
      'invalid_money',
      'The principal must be a non-negative safe integer of minor units',
    );
  }
  if (!Number.isSafeInteger(referenceRateBasisPoints)) {
    throw new DomainError('invalid_input', 'The reference rate must be a whole number of basis points');
  }
  const margin = input.marginBasisPoints ?? STATUTORY_MARGIN_BASIS_POINTS;
  if (!Number.isSafeInteger(margin) || margin < 0) {
    throw new DomainError('invalid_input', 'The margin must be a non-negative whole number of basis points');
  }
  const annualRateBasisPoints = referenceRateBasisPoints + margin;
  if (annualRateBasisPoints < 0) {
    throw new DomainError('invalid_input', 'The statutory rate (reference + margin) cannot be negative');
  }
  const daysLate = Math.max(0, daysBetween(input.dueDate, input.asOf));

  const numerator = BigInt(principal.amountMinor) * BigInt(annualRateBasisPoints) * BigInt(daysLate);
  const denominator = BASIS_POINTS * DAYS_PER_YEAR;
  const interestMinor = (2n * numerator + denominator) / (2n * denominator);

  if (interestMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DomainError('invalid_money', 'The interest exceeds the safe integer range');
  }

  const fixed = FIXED_COMPENSATION_MINOR[principal.currency];
  return {
    interest: { amountMinor: Number(interestMinor), currency: principal.currency },
    compensation:
      fixed === undefined ? null : { amountMinor: daysLate > 0 ? fixed : 0, currency: principal.currency },
    daysLate,
    annualRateBasisPoints,
  };
}
