import { addDays, daysBetween, isValidDate, previousBusinessDay } from './calendar';
import { DomainError } from './errors';
import type { Money } from './money';
import { currencyDigits } from './money';
import type { LateChargesJurisdiction } from './policy';

// ---------------------------------------------------------------------------------------------
// Statutory late-payment charges by jurisdiction (B2B): interest on the late amount plus a fixed
// compensation for recovery costs. Everything is integer minor units and BigInt; nothing is a float.
// ---------------------------------------------------------------------------------------------

/** The statutory rules Settle knows; `lateChargesRuleFor` picks one (or none) for an invoice. */
export const LATE_CHARGES_RULES = ['eu', 'de', 'fr', 'pl', 'uk'] as const;
export type LateChargesRule = (typeof LATE_CHARGES_RULES)[number];

/**
 * The published rates the rules depend on, as stored in `statutory_rates`. All are basis points
 * (1 % = 100) except `nbp_eur_pln`, the NBP mid rate in PLN per EUR × 10 000 (4.2730 → 42 730).
 */
export const STATUTORY_RATE_KINDS = [
  'ecb_main_refinancing',
  'de_base_rate',
  'nbp_reference',
  'boe_base',
  'nbp_eur_pln',
] as const;
export type StatutoryRateKind = (typeof STATUTORY_RATE_KINDS)[number];
export type ReferenceRateKind = Exclude<StatutoryRateKind, 'nbp_eur_pln'>;

/** A published rate and the day it took effect; it stays in force until the next one of its kind. */
export interface StatutoryRate {
  kind: StatutoryRateKind;
  validFrom: string;
  basisPoints: number;
}

/**
 * Which reference rate applies to a day of the late period:
 * - `half_year`: the rate in force on 1 January applies to the whole first half of the year and the rate
 *   in force on 1 July to the second (Directive 2011/7/EU art. 2(6); § 247 BGB moves the Basiszinssatz
 *   only on those days; Code de commerce L441-10 II; Polish act art. 11b). A late period crossing
 *   30 June or 31 December is split there, and a central-bank change in the middle of a half-year only
 *   counts from the next half-year.
 * - `fixed_at_start`: one rate for the whole late period, the one in force on 31 December (interest that
 *   starts to run in January–June) or 30 June (July–December): the Late Payment of Commercial Debts
 *   (Rate of Interest) (No. 3) Order 2002 fixes the reference rate for a debt when interest starts.
 */
export type RateFixing = 'half_year' | 'fixed_at_start';

interface CompensationRule {
  /** The invoice currency the statute's figure can be claimed in; any other gets none (null). */
  invoiceCurrency: string;
  /** The statutory figure, in minor units of `statedIn`, for a debt (minor units of the invoice currency). */
  tierFor: (debtMinor: number) => number;
  statedIn: string;
  /** The rate the figure is converted at, when it is stated in another currency than it is claimed in. */
  convertAt?: 'nbp_eur_pln';
}

interface RuleDefinition {
  referenceRate: ReferenceRateKind;
  marginBasisPoints: number;
  rateFixing: RateFixing;
  compensation: CompensationRule;
}

const EUR_40: CompensationRule = { invoiceCurrency: 'EUR', statedIn: 'EUR', tierFor: () => 4000 };

/** The rules as the statutes set them; the reference rates themselves are data (`statutory_rates`). */
export const LATE_CHARGES_RULE_DEFINITIONS: Readonly<Record<LateChargesRule, Readonly<RuleDefinition>>> = {
  // Directive 2011/7/EU art. 2(6) (reference + 8 points) and art. 6(1) (EUR 40).
  eu: {
    referenceRate: 'ecb_main_refinancing',
    marginBasisPoints: 800,
    rateFixing: 'half_year',
    compensation: EUR_40,
  },
  // § 288 (2) BGB: Basiszinssatz + 9 points when no consumer is party; § 288 (5) BGB: EUR 40.
  de: {
    referenceRate: 'de_base_rate',
    marginBasisPoints: 900,
    rateFixing: 'half_year',
    compensation: EUR_40,
  },
  // Code de commerce L441-10 II: the ECB rate + 10 points; D441-5: EUR 40 indemnité forfaitaire.
  fr: {
    referenceRate: 'ecb_main_refinancing',
    marginBasisPoints: 1000,
    rateFixing: 'half_year',
    compensation: EUR_40,
  },
  pl: {
    // Art. 4 pkt 3 lit. a: NBP reference rate + 10 points (debtors other than public health bodies).
    referenceRate: 'nbp_reference',
    marginBasisPoints: 1000,
    rateFixing: 'half_year',
    compensation: {
      invoiceCurrency: 'PLN',
      statedIn: 'EUR',
      convertAt: 'nbp_eur_pln',
      // Art. 10 ust. 1: EUR 40 when the debt does not exceed PLN 5 000, EUR 70 when it is above that
      // but below PLN 50 000, EUR 100 from PLN 50 000 ("nie przekracza": PLN 5 000.00 is still EUR 40).
      tierFor: (debtMinor) => (debtMinor <= 500_000 ? 4000 : debtMinor < 5_000_000 ? 7000 : 10_000),
    },
  },
  uk: {
    // Late Payment of Commercial Debts (Interest) Act 1998 s. 6 and the 2002 Order: base rate + 8 points.
    referenceRate: 'boe_base',
    marginBasisPoints: 800,
    rateFixing: 'fixed_at_start',
    compensation: {
      invoiceCurrency: 'GBP',
      statedIn: 'GBP',
      // s. 5A(2): £40 for a debt under £1 000, £70 under £10 000, £100 for £10 000 or more.
      tierFor: (debtMinor) => (debtMinor < 100_000 ? 4000 : debtMinor < 1_000_000 ? 7000 : 10_000),
    },
  },
};

/** The 27 member states (ISO 3166-1 alpha-2; Greece is GR). */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

const NATIONAL_RULES: Readonly<Record<string, LateChargesRule>> = { DE: 'de', FR: 'fr', PL: 'pl', GB: 'uk' };

/**
 * The statutory rule an invoice's late charges follow, or null when there is no statutory claim.
 * A policy's `override` other than `auto` wins. `auto` follows the creditor's country, because a
 * contract for goods or services is governed by the law of the seller's or provider's habitual
 * residence when the parties chose none (Rome I, Regulation 593/2008 art. 4(1)(a)–(b)): DE, FR, PL and
 * GB have their own statutes, any other member state transposed the Directive. A creditor outside the
 * EU and the UK still has the Directive's protection against a debtor in the EU (the debtor's courts
 * apply it as overriding law), so `eu` then; with neither party in the EU there is nothing to claim.
 */
export function lateChargesRuleFor(input: {
  creditorCountry: string;
  debtorCountry: string;
  override: LateChargesJurisdiction;
}): LateChargesRule | null {
  if (input.override !== 'auto') return input.override;
  const creditor = input.creditorCountry.trim().toUpperCase();
  const national = NATIONAL_RULES[creditor];
  if (national) return national;
  if (EU_MEMBER_STATES.has(creditor)) return 'eu';
  return EU_MEMBER_STATES.has(input.debtorCountry.trim().toUpperCase()) ? 'eu' : null;
}

/** One stretch of the late period charged at one rate. */
export interface LateInterestPeriod {
  /** First and last late day of the stretch, both included. */
  from: string;
  to: string;
  days: number;
  referenceRateBasisPoints: number;
  /** The day the reference rate used took effect (which row of the rates table it is). */
  referenceRateValidFrom: string;
  /** Reference + margin. */
  annualRateBasisPoints: number;
  interest: Money;
}

/** How the fixed compensation was found: the statute's figure and, for Poland, the conversion. */
export interface LateCompensationBasis {
  /** EUR 40 / 70 / 100 or GBP 40 / 70 / 100, as the statute states it. */
  statutory: Money;
  /** The debt the tier was chosen by. */
  debt: Money;
  /** PLN per EUR × 10 000 (NBP mid rate) and the day it was published for; only when converted. */
  exchangeRate: { basisPoints: number; date: string; referenceDay: string } | null;
}

/** Statutory late charges with everything a person needs to check them. */
export interface StatutoryLateCharges {
  rule: LateChargesRule;
  principal: Money;
  dueDate: string;
  asOf: string;
  daysLate: number;
  referenceRate: ReferenceRateKind;
  marginBasisPoints: number;
  rateFixing: RateFixing;
  /** Empty when nothing is late yet. */
  periods: LateInterestPeriod[];
  /** The sum of the periods' interest (each period is rounded half up on its own, so the lines add up). */
  interest: Money;
  /** Null when the rule sets no figure for the invoice currency or its exchange rate is not known. */
  compensation: Money | null;
  compensationBasis: LateCompensationBasis | null;
  /** Why `compensation` is null: `currency` (none for it) or `exchange_rate` (NBP rate missing). */
  compensationMissing: 'currency' | 'exchange_rate' | null;
}

export interface StatutoryLateChargesInput {
  rule: LateChargesRule;
  /** The open balance interest runs on. */
  principal: Money;
  /** The debt the compensation tier is chosen by (the invoice amount); defaults to the principal. */
  debt?: Money;
  dueDate: string;
  asOf: string;
  /** Rates of every kind the rule needs, covering the late period (see `statutoryRatesNeeded`). */
  rates: readonly StatutoryRate[];
}

const BASIS_POINTS = 10_000n;
const DAYS_PER_YEAR = 365n;

/** `numerator / denominator` for non-negative integers, rounded half up. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function toSafeMinor(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DomainError('invalid_money', `The ${what} exceeds the safe integer range`);
  }
  return Number(value);
}

function assertAmount(money: Money, what: string): void {
  currencyDigits(money.currency);
  if (!Number.isSafeInteger(money.amountMinor) || money.amountMinor < 0) {
    throw new DomainError('invalid_money', `The ${what} must be a non-negative safe integer of minor units`);
  }
}

function halfYearStart(date: string): string {
  return `${date.slice(0, 4)}-${Number(date.slice(5, 7)) <= 6 ? '01' : '07'}-01`;
}

function nextHalfYearStart(date: string): string {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) <= 6 ? `${year}-07-01` : `${year + 1}-01-01`;
}

/** The last business day in Poland of the month before `dueDate`: the day of the NBP rate (art. 10 ust. 1). */
export function nbpExchangeRateDay(dueDate: string): string {
  return previousBusinessDay(addDays(`${dueDate.slice(0, 7)}-01`, -1), 'PL');
}

/** The rate of `kind` in force on `date`: the latest published on or before it. */
function rateInForce(rates: readonly StatutoryRate[], kind: StatutoryRateKind, date: string): StatutoryRate {
  let found: StatutoryRate | undefined;
  for (const rate of rates) {
    if (rate.kind === kind && rate.validFrom <= date && (!found || rate.validFrom > found.validFrom))
      found = rate;
  }
  if (!found) {
    throw new DomainError('invalid_input', `No ${kind} rate is known on or before ${date}`);
  }
  return found;
}

/** The day whose rate governs the first late day under a rule's rate fixing. */
function fixingDay(fixing: RateFixing, firstLateDay: string): string {
  const start = halfYearStart(firstLateDay);
  return fixing === 'half_year' ? start : addDays(start, -1);
}

/**
 * Which rates, over which days, `computeStatutoryLateCharges` needs for a rule and a late period: the
 * caller loads them (from the rates table) so the computation stays pure. `from` is the first day whose
 * rate in force matters; every change up to `to` may matter too.
 */
export function statutoryRatesNeeded(input: {
  rule: LateChargesRule;
  currency: string;
  dueDate: string;
  asOf: string;
}): { kind: StatutoryRateKind; from: string; to: string }[] {
  const definition = LATE_CHARGES_RULE_DEFINITIONS[input.rule];
  const firstLateDay = addDays(input.dueDate, 1);
  if (input.asOf < firstLateDay) return [];
  const needed = [
    { kind: definition.referenceRate, from: fixingDay(definition.rateFixing, firstLateDay), to: input.asOf },
  ] as { kind: StatutoryRateKind; from: string; to: string }[];
  const { compensation } = definition;
  if (compensation.convertAt && compensation.invoiceCurrency === input.currency) {
    const day = nbpExchangeRateDay(input.dueDate);
    needed.push({ kind: compensation.convertAt, from: day, to: day });
  }
  return needed;
}

function interestPeriods(
  definition: RuleDefinition,
  principal: Money,
  firstLateDay: string,
  asOf: string,
  rates: readonly StatutoryRate[],
): LateInterestPeriod[] {
  const stretches: { from: string; to: string; rate: StatutoryRate }[] = [];
  if (definition.rateFixing === 'fixed_at_start') {
    const rate = rateInForce(rates, definition.referenceRate, fixingDay('fixed_at_start', firstLateDay));
    stretches.push({ from: firstLateDay, to: asOf, rate });
  } else {
    for (let from = firstLateDay; from <= asOf; from = nextHalfYearStart(from)) {
      const lastOfHalfYear = addDays(nextHalfYearStart(from), -1);
      const rate = rateInForce(rates, definition.referenceRate, halfYearStart(from));
      stretches.push({ from, to: lastOfHalfYear < asOf ? lastOfHalfYear : asOf, rate });
    }
  }
  return stretches.map(({ from, to, rate }) => {
    const annualRateBasisPoints = rate.basisPoints + definition.marginBasisPoints;
    if (!Number.isSafeInteger(rate.basisPoints) || annualRateBasisPoints < 0) {
      throw new DomainError(
        'invalid_input',
        `The ${rate.kind} rate of ${rate.validFrom} gives no valid statutory rate (${rate.basisPoints} bp)`,
      );
    }
    const days = daysBetween(from, to) + 1;
    const interest = divideHalfUp(
      BigInt(principal.amountMinor) * BigInt(annualRateBasisPoints) * BigInt(days),
      BASIS_POINTS * DAYS_PER_YEAR,
    );
    return {
      from,
      to,
      days,
      referenceRateBasisPoints: rate.basisPoints,
      referenceRateValidFrom: rate.validFrom,
      annualRateBasisPoints,
      interest: { amountMinor: toSafeMinor(interest, 'interest'), currency: principal.currency },
    };
  });
}

function compensationOf(
  compensation: CompensationRule,
  debt: Money,
  dueDate: string,
  rates: readonly StatutoryRate[],
): Pick<StatutoryLateCharges, 'compensation' | 'compensationBasis' | 'compensationMissing'> {
  if (debt.currency !== compensation.invoiceCurrency) {
    return { compensation: null, compensationBasis: null, compensationMissing: 'currency' };
  }
  const statutory = { amountMinor: compensation.tierFor(debt.amountMinor), currency: compensation.statedIn };
  if (!compensation.convertAt) {
    return {
      compensation: { amountMinor: statutory.amountMinor, currency: debt.currency },
      compensationBasis: { statutory, debt, exchangeRate: null },
      compensationMissing: null,
    };
  }
  const referenceDay = nbpExchangeRateDay(dueDate);
  // The statute wants the rate of that very day; a rate from an earlier month would be a guess, so
  // only one published in the same month (a holiday date-holidays does not know) stands in for it.
  const rate = rates
    .filter((r) => r.kind === compensation.convertAt && r.validFrom <= referenceDay)
    .reduce<StatutoryRate | undefined>(
      (latest, r) => (!latest || r.validFrom > latest.validFrom ? r : latest),
      undefined,
    );
  if (!rate || rate.validFrom.slice(0, 7) !== referenceDay.slice(0, 7) || rate.basisPoints <= 0) {
    return { compensation: null, compensationBasis: null, compensationMissing: 'exchange_rate' };
  }
  const converted = divideHalfUp(BigInt(statutory.amountMinor) * BigInt(rate.basisPoints), BASIS_POINTS);
  return {
    compensation: { amountMinor: toSafeMinor(converted, 'compensation'), currency: debt.currency },
    compensationBasis: {
      statutory,
      debt,
      exchangeRate: { basisPoints: rate.basisPoints, date: rate.validFrom, referenceDay },
    },
    compensationMissing: null,
  };
}

/**
 * Statutory late-payment interest and fixed compensation under one rule, as of `asOf`: simple interest
 * principal × (reference + margin) × days / 365 per stretch of one rate (see `RateFixing`), each
 * rounded half up to the minor unit, plus the fixed compensation once the invoice is late (zero before).
 * Throws DomainError when a reference rate the period needs is missing: a guessed rate is never used.
 */
export function computeStatutoryLateCharges(input: StatutoryLateChargesInput): StatutoryLateCharges {
  const { principal, rule } = input;
  const definition = LATE_CHARGES_RULE_DEFINITIONS[rule];
  if (!definition) throw new DomainError('invalid_input', `Unknown late-charges rule ${String(rule)}`);
  assertAmount(principal, 'principal');
  const debt = input.debt ?? principal;
  assertAmount(debt, 'debt');
  if (debt.currency !== principal.currency) {
    throw new DomainError('currency_mismatch', 'The debt and the principal must be in the same currency');
  }
  for (const date of [input.dueDate, input.asOf]) {
    if (!isValidDate(date)) throw new DomainError('invalid_date', `Expected a date YYYY-MM-DD, got ${date}`);
  }
  const daysLate = Math.max(0, daysBetween(input.dueDate, input.asOf));
  const base = {
    rule,
    principal,
    dueDate: input.dueDate,
    asOf: input.asOf,
    daysLate,
    referenceRate: definition.referenceRate,
    marginBasisPoints: definition.marginBasisPoints,
    rateFixing: definition.rateFixing,
  };
  if (daysLate === 0) {
    const covered = principal.currency === definition.compensation.invoiceCurrency;
    return {
      ...base,
      periods: [],
      interest: { amountMinor: 0, currency: principal.currency },
      compensation: covered ? { amountMinor: 0, currency: principal.currency } : null,
      compensationBasis: null,
      compensationMissing: covered ? null : 'currency',
    };
  }
  const periods = interestPeriods(definition, principal, addDays(input.dueDate, 1), input.asOf, input.rates);
  const interest = periods.reduce((sum, period) => sum + BigInt(period.interest.amountMinor), 0n);
  return {
    ...base,
    periods,
    interest: { amountMinor: toSafeMinor(interest, 'interest'), currency: principal.currency },
    ...compensationOf(definition.compensation, debt, input.dueDate, input.rates),
  };
}

/** Interest plus compensation (when there is one), in the invoice currency. */
export function lateChargesTotal(charges: Pick<StatutoryLateCharges, 'interest' | 'compensation'>): Money {
  return {
    amountMinor: charges.interest.amountMinor + (charges.compensation?.amountMinor ?? 0),
    currency: charges.interest.currency,
  };
}
