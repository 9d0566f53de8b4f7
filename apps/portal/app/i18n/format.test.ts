import { describe, expect, it } from 'vitest';
import { formatters } from './format';

describe('portal formatting', () => {
  it('formats integer minor units exactly for each language and currency digits', () => {
    expect(formatters('de').money(123_456, 'EUR')).toBe('1.234,56\u00a0€');
    expect(formatters('en').money(123_456, 'EUR')).toBe('€1,234.56');
    expect(formatters('pl').money(5, 'PLN')).toBe('0,05\u00a0zł');
    expect(formatters('en').money(-1_000, 'JPY')).toBe('-¥1,000'); // no minor digits in yen
    // Above 2^53 / 100 a float would lose cents; the decimal string keeps them.
    expect(formatters('en').money(9_007_199_254_740_991, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('shows calendar dates as they are, in the language', () => {
    expect(formatters('de').date('2026-11-23')).toBe('23.11.2026');
    expect(formatters('en').date('2026-01-01')).toBe('Jan 1, 2026');
  });
});
