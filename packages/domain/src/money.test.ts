import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import {
  currencyDigits,
  formatMoney,
  isValidCurrency,
  sumByCurrency,
  sumMoney,
  toDecimalString,
} from './money';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('currencyDigits', () => {
  it('reads the minor-unit digits from Intl: JPY 0, EUR 2, KWD 3', () => {
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('PLN')).toBe(2);
    expect(currencyDigits('KWD')).toBe(3);
  });

  it('uses the ISO 4217 minor unit where CLDR displays none (HUF has fillér in minor units)', () => {
    expect(currencyDigits('HUF')).toBe(2);
    expect(currencyDigits('IDR')).toBe(2);
  });

  it('rejects codes that are not three upper-case letters', () => {
    expect(() => currencyDigits('eur')).toThrow(DomainError);
    expect(() => currencyDigits('EURO')).toThrow(/ISO 4217/);
    expect(isValidCurrency('EUR')).toBe(true);
    expect(isValidCurrency('E1R')).toBe(false);
    // Well-formed but not a currency: a typo must not pass as one.
    expect(isValidCurrency('EUE')).toBe(false);
    expect(isValidCurrency('ABC')).toBe(false);
  });
});

describe('toDecimalString', () => {
  it('splits minor units exactly, keeping leading zeros of the fraction and the sign', () => {
    expect(toDecimalString({ amountMinor: 123456, currency: 'EUR' })).toBe('1234.56');
    expect(toDecimalString({ amountMinor: -5, currency: 'EUR' })).toBe('-0.05');
    expect(toDecimalString({ amountMinor: 1500, currency: 'JPY' })).toBe('1500');
    expect(toDecimalString({ amountMinor: 1001, currency: 'KWD' })).toBe('1.001');
  });

  it('refuses fractional or unsafe amounts instead of formatting float noise', () => {
    expect(() => toDecimalString({ amountMinor: 1.5, currency: 'EUR' })).toThrow(/safe integers/);
    expect(() => toDecimalString({ amountMinor: 2 ** 53, currency: 'EUR' })).toThrow(DomainError);
  });
});

describe('formatMoney', () => {
  it('formats minor units for the locale as Node 24 Intl prints them', () => {
    expect(formatMoney({ amountMinor: 123456, currency: 'EUR' }, 'de-DE')).toBe(`1.234,56${NBSP}€`);
    expect(formatMoney({ amountMinor: 123456, currency: 'EUR' }, 'en')).toBe('€1,234.56');
    expect(formatMoney({ amountMinor: 123456, currency: 'EUR' }, 'fr-FR')).toBe(`1${NNBSP}234,56${NBSP}€`);
    // Polish groups thousands only from five digits on.
    expect(formatMoney({ amountMinor: 123456, currency: 'PLN' }, 'pl-PL')).toBe(`1234,56${NBSP}zł`);
    expect(formatMoney({ amountMinor: 1234567, currency: 'PLN' }, 'pl-PL')).toBe(`12${NBSP}345,67${NBSP}zł`);
    expect(formatMoney({ amountMinor: 1500, currency: 'JPY' }, 'en')).toBe('¥1,500');
  });

  it('always shows every minor digit, even for whole amounts', () => {
    expect(formatMoney({ amountMinor: 4000, currency: 'EUR' }, 'en')).toBe('€40.00');
    expect(formatMoney({ amountMinor: 123456, currency: 'HUF' }, 'en')).toBe(`HUF${NBSP}1,234.56`);
  });

  it('is exact for the largest safe amount, where dividing by 100 as a float would drift', () => {
    expect(formatMoney({ amountMinor: Number.MAX_SAFE_INTEGER, currency: 'EUR' }, 'en')).toBe(
      '€90,071,992,547,409.91',
    );
    expect(formatMoney({ amountMinor: -Number.MAX_SAFE_INTEGER, currency: 'EUR' }, 'en')).toBe(
      '-€90,071,992,547,409.91',
    );
  });
});

describe('sumMoney', () => {
  it('adds amounts of one currency', () => {
    expect(
      sumMoney([
        { amountMinor: 100, currency: 'EUR' },
        { amountMinor: 250, currency: 'EUR' },
      ]),
    ).toEqual({ amountMinor: 350, currency: 'EUR' });
  });

  it('returns zero in the given currency for an empty list, and needs that currency', () => {
    expect(sumMoney([], 'PLN')).toEqual({ amountMinor: 0, currency: 'PLN' });
    expect(() => sumMoney([])).toThrow(/needs a currency/);
  });

  it('refuses to add different currencies', () => {
    expect(() =>
      sumMoney([
        { amountMinor: 100, currency: 'EUR' },
        { amountMinor: 100, currency: 'PLN' },
      ]),
    ).toThrow(expect.objectContaining({ code: 'currency_mismatch' }));
  });

  it('refuses a sum beyond the safe integer range', () => {
    expect(() =>
      sumMoney([
        { amountMinor: Number.MAX_SAFE_INTEGER, currency: 'EUR' },
        { amountMinor: 1, currency: 'EUR' },
      ]),
    ).toThrow(expect.objectContaining({ code: 'invalid_money' }));
  });

  it('sumByCurrency keeps one total per currency in order of first appearance', () => {
    expect(
      sumByCurrency([
        { amountMinor: 1, currency: 'PLN' },
        { amountMinor: 2, currency: 'EUR' },
        { amountMinor: 3, currency: 'PLN' },
      ]),
    ).toEqual([
      { amountMinor: 4, currency: 'PLN' },
      { amountMinor: 2, currency: 'EUR' },
    ]);
  });
});
