import { describe, expect, it } from 'vitest';
import { agingBuckets, computeDso } from './reports';

describe('agingBuckets', () => {
  it('puts balances into buckets by days past due on the report date, per currency', () => {
    const asOf = '2025-06-30';
    const eur = (balanceMinor: number, dueDate: string) => ({ currency: 'EUR', balanceMinor, dueDate });
    const result = agingBuckets(
      [
        eur(100, '2025-07-15'), // not yet due
        eur(200, '2025-06-30'), // due today: still current
        eur(300, '2025-06-29'), // 1 day
        eur(400, '2025-05-31'), // 30 days
        eur(500, '2025-05-30'), // 31 days
        eur(600, '2025-05-01'), // 60 days
        eur(700, '2025-04-30'), // 61 days
        eur(800, '2025-04-01'), // 90 days
        eur(900, '2025-03-31'), // 91 days
        { currency: 'PLN', balanceMinor: 1000, dueDate: '2025-01-01' },
      ],
      asOf,
    );
    expect(result).toEqual({
      EUR: { current: 300, d1_30: 700, d31_60: 1100, d61_90: 1500, d90_plus: 900 },
      PLN: { current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 1000 },
    });
  });

  it('leaves out settled invoices and credit balances', () => {
    expect(
      agingBuckets(
        [
          { currency: 'EUR', balanceMinor: 0, dueDate: '2025-01-01' },
          { currency: 'EUR', balanceMinor: -500, dueDate: '2025-01-01' },
        ],
        '2025-06-30',
      ),
    ).toEqual({});
  });
});

describe('computeDso', () => {
  it('is receivables ÷ credit sales × days: 150 000 owed on 450 000 sold over 90 days is 30 days', () => {
    expect(computeDso({ receivablesMinor: 15_000_000, creditSalesMinor: 45_000_000, periodDays: 90 })).toBe(
      30,
    );
  });

  it('rounds to one decimal, half up: 123.45 ÷ 1000 × 30 = 3.70', () => {
    expect(computeDso({ receivablesMinor: 12_345, creditSalesMinor: 100_000, periodDays: 30 })).toBe(3.7);
    // 49 ÷ 400 × 100 = 12.25 exactly
    expect(computeDso({ receivablesMinor: 49, creditSalesMinor: 400, periodDays: 100 })).toBe(12.3);
  });

  it('with no credit sales is 0 when nothing is owed and Infinity otherwise', () => {
    expect(computeDso({ receivablesMinor: 0, creditSalesMinor: 0, periodDays: 30 })).toBe(0);
    expect(computeDso({ receivablesMinor: 1, creditSalesMinor: 0, periodDays: 30 })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('refuses negative amounts and an empty period', () => {
    expect(() => computeDso({ receivablesMinor: -1, creditSalesMinor: 10, periodDays: 30 })).toThrow(
      /receivablesMinor/,
    );
    expect(() => computeDso({ receivablesMinor: 1, creditSalesMinor: 10, periodDays: 0 })).toThrow(
      /periodDays/,
    );
  });
});
