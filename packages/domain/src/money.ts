import { DomainError } from './errors';

/** An amount of money: integer minor units (cents, grosze) of an ISO 4217 currency. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/**
 * Currencies whose ISO 4217 minor unit differs from the display digits CLDR (and so Intl) reports.
 * CLDR says 0 for these because the subunit is not used in cash, but invoices and payment providers
 * (Stripe among them) still count them in ISO minor units, so HUF 1234.56 is stored as 123456.
 */
export const ISO_MINOR_UNIT_OVERRIDES: Readonly<Record<string, number>> = {
  AFN: 2,
  ALL: 2,
  COP: 2,
  HUF: 2,
  IDR: 2,
  IQD: 3,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MGA: 2,
  MMK: 2,
  PKR: 2,
  SLL: 2,
  SOS: 2,
  SYP: 2,
  YER: 2,
};

const digitsCache = new Map<string, number>();

// Intl formats any well-formed code (`ABC` too), so membership is checked against its list of
// known ISO 4217 currencies: a typo such as `EUE` is refused, not imported.
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Whether `currency` is an ISO 4217 code Intl knows (`EUR`, `PLN`); `ABC` or `eur` are not. */
export function isValidCurrency(currency: unknown): currency is string {
  return typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) && KNOWN_CURRENCIES.has(currency);
}

/** Number of minor-unit digits of a currency (JPY 0, EUR 2, KWD 3). */
export function currencyDigits(currency: string): number {
  const cached = digitsCache.get(currency);
  if (cached !== undefined) return cached;
  if (!isValidCurrency(currency)) {
    throw new DomainError('invalid_currency', `Not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  }
  const digits =
    ISO_MINOR_UNIT_OVERRIDES[currency] ??
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2;
  digitsCache.set(currency, digits);
  return digits;
}

function assertMoney(money: Money): void {
  if (!Number.isSafeInteger(money.amountMinor)) {
    throw new DomainError(
      'invalid_money',
      `Money amounts are safe integers of minor units, got ${money.amountMinor}`,
    );
  }
  currencyDigits(money.currency);
}

/** The exact decimal string of a money amount, e.g. `{ amountMinor: -5, currency: 'EUR' }` → `-0.05`. */
export function toDecimalString(money: Money): string {
  assertMoney(money);
  const digits = currencyDigits(money.currency);
  const negative = money.amountMinor < 0;
  const abs = BigInt(Math.abs(money.amountMinor));
  if (digits === 0) return `${negative ? '-' : ''}${abs}`;
  const scale = 10n ** BigInt(digits);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

const formatterCache = new Map<string, Intl.NumberFormat>();

/** Formats money for people in a locale (`1.234,56 €` in `de`), exact for every safe integer. */
export function formatMoney(money: Money, locale: string): string {
  const decimal = toDecimalString(money);
  const digits = currencyDigits(money.currency);
  const cacheKey = `${locale}|${money.currency}`;
  let formatter = formatterCache.get(cacheKey);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: money.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatterCache.set(cacheKey, formatter);
  }
  // A decimal string is formatted as an exact decimal (Intl.NumberFormat v3), so amounts above
  // 2^53 / 100 never pick up binary floating-point noise.
  return formatter.format(decimal as Intl.StringNumericLiteral);
}

/**
 * Adds amounts of one currency. `currency` is required when `items` may be empty; every item must be in
 * that currency, and the sum must stay a safe integer.
 */
export function sumMoney(items: readonly Money[], currency?: string): Money {
  const target = currency ?? items[0]?.currency;
  if (target === undefined) {
    throw new DomainError('invalid_input', 'sumMoney needs a currency when there is nothing to add');
  }
  currencyDigits(target);
  let total = 0n;
  for (const item of items) {
    assertMoney(item);
    if (item.currency !== target) {
      throw new DomainError('currency_mismatch', `Cannot add ${item.currency} to ${target}`);
    }
    total += BigInt(item.amountMinor);
  }
  const amountMinor = Number(total);
  if (!Number.isSafeInteger(amountMinor)) {
    throw new DomainError('invalid_money', `Sum of ${target} amounts exceeds the safe integer range`);
  }
  return { amountMinor, currency: target };
}

/** Sums amounts per currency, in order of first appearance (for totals across mixed currencies). */
export function sumByCurrency(items: readonly Money[]): Money[] {
  const groups = new Map<string, Money[]>();
  for (const item of items) {
    const group = groups.get(item.currency);
    if (group) group.push(item);
    else groups.set(item.currency, [item]);
  }
  return [...groups.entries()].map(([currency, group]) => sumMoney(group, currency));
}
