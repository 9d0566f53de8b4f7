import { describe, expect, it } from 'vitest';
import {
  cellText,
  ImportErrorList,
  MAX_IMPORT_ERRORS,
  parseMoneyMinor,
  parseQuantityMilli,
  parseTaxRateBasisPoints,
} from './import-rows';

describe('parseMoneyMinor', () => {
  it("converts decimal strings to integer minor units with the currency's exponent, exactly", () => {
    expect(parseMoneyMinor('19.99', 'EUR')).toEqual({ ok: true, value: 1999 });
    expect(parseMoneyMinor('1234', 'EUR')).toEqual({ ok: true, value: 123_400 });
    expect(parseMoneyMinor('0.1', 'EUR')).toEqual({ ok: true, value: 10 });
    expect(parseMoneyMinor('12.500', 'EUR')).toEqual({ ok: true, value: 1250 });
    expect(parseMoneyMinor('1500', 'JPY')).toEqual({ ok: true, value: 1500 });
    expect(parseMoneyMinor('1.234', 'KWD')).toEqual({ ok: true, value: 1234 });
    expect(parseMoneyMinor('1234.56', 'HUF')).toEqual({ ok: true, value: 123_456 });
    // 0.29 × 100 is 28.999999999999996 in floating point; the parser never multiplies floats.
    expect(parseMoneyMinor('0.29', 'EUR')).toEqual({ ok: true, value: 29 });
    expect(parseMoneyMinor('90071992547409.91', 'EUR')).toEqual({ ok: true, value: 9_007_199_254_740_991 });
  });

  it('refuses more decimals than the currency has, separators, signs and nonsense, saying why', () => {
    expect(parseMoneyMinor('1.5', 'JPY')).toEqual({
      ok: false,
      message: 'has more than 0 decimal places for JPY',
    });
    expect(parseMoneyMinor('19.999', 'EUR')).toEqual({
      ok: false,
      message: 'has more than 2 decimal places for EUR',
    });
    expect(parseMoneyMinor('1,234.00', 'EUR')).toMatchObject({
      ok: false,
      message: expect.stringContaining('expected a decimal number such as 1234.50'),
    });
    expect(parseMoneyMinor('12,50', 'EUR').ok).toBe(false);
    expect(parseMoneyMinor('1e3', 'EUR').ok).toBe(false);
    expect(parseMoneyMinor('-5', 'EUR')).toEqual({ ok: false, message: 'must not be negative' });
    expect(parseMoneyMinor('-5', 'EUR', { allowNegative: true })).toEqual({ ok: true, value: -500 });
    expect(parseMoneyMinor('90071992547409.92', 'EUR')).toEqual({ ok: false, message: 'is too large' });
    expect(parseMoneyMinor('10', 'EURO')).toEqual({
      ok: false,
      message: 'cannot be read without a valid currency',
    });
  });
});

describe('parseQuantityMilli and parseTaxRateBasisPoints', () => {
  it('reads quantities in thousandths and tax rates in percent', () => {
    expect(parseQuantityMilli('1.5')).toEqual({ ok: true, value: 1500 });
    expect(parseQuantityMilli('0.001')).toEqual({ ok: true, value: 1 });
    expect(parseQuantityMilli('2')).toEqual({ ok: true, value: 2000 });
    expect(parseQuantityMilli('1.0001').ok).toBe(false);
    expect(parseTaxRateBasisPoints('23')).toEqual({ ok: true, value: 2300 });
    expect(parseTaxRateBasisPoints('7.5%')).toEqual({ ok: true, value: 750 });
    expect(parseTaxRateBasisPoints('0')).toEqual({ ok: true, value: 0 });
    expect(parseTaxRateBasisPoints('101')).toEqual({ ok: false, message: 'must be at most 100 (percent)' });
    expect(parseTaxRateBasisPoints('-1')).toEqual({ ok: false, message: 'must not be negative' });
  });
});

describe('cellText', () => {
  it('trims text, treats empty and null as absent, and turns JSON numbers into their decimal form', () => {
    expect(cellText('  ACME ')).toBe('ACME');
    expect(cellText('')).toBeUndefined();
    expect(cellText('   ')).toBeUndefined();
    expect(cellText(null)).toBeUndefined();
    expect(cellText(undefined)).toBeUndefined();
    expect(cellText(12.34)).toBe('12.34');
    expect(cellText({ a: 1 })).toEqual({ invalid: 'expected text, got object' });
    expect(cellText([1])).toEqual({ invalid: 'expected text, got an array' });
  });
});

describe('ImportErrorList', () => {
  it('keeps the first errors up to the cap, sorted by line, and says when it stopped listing', () => {
    const list = new ImportErrorList();
    for (let line = MAX_IMPORT_ERRORS + 5; line > 0; line--) list.add({ line, field: 'x', message: 'bad' });
    const rejected = list.rejected(2000);
    expect(rejected.errors).toHaveLength(MAX_IMPORT_ERRORS);
    expect(rejected.truncated).toBe(true);
    expect(rejected.errors[0]?.line).toBeLessThan(rejected.errors[1]?.line ?? 0);
  });
});
