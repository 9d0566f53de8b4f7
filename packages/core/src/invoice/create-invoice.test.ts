import { describe, expect, it } from 'vitest';
import { CreateInvoiceSchema, lineTotalMinor } from './create-invoice';

describe('lineTotalMinor', () => {
  it('rounds a negative (credit) line half away from zero, the mirror of the positive line', () => {
    expect(lineTotalMinor({ quantityMilli: 1000, unitPriceMinor: -1000, taxRateBasisPoints: 0 })).toBe(-1000);
    expect(lineTotalMinor({ quantityMilli: 1500, unitPriceMinor: -1999, taxRateBasisPoints: 0 })).toBe(-2999);
    expect(lineTotalMinor({ quantityMilli: 1500, unitPriceMinor: 1999, taxRateBasisPoints: 0 })).toBe(2999);
  });

  it('multiplies thousandths of a quantity by the unit price and adds tax, rounding half up once', () => {
    expect(lineTotalMinor({ quantityMilli: 1500, unitPriceMinor: 1999, taxRateBasisPoints: 0 })).toBe(2999); // 2998.5
    expect(lineTotalMinor({ quantityMilli: 1000, unitPriceMinor: 10_000, taxRateBasisPoints: 2300 })).toBe(
      12_300,
    );
    expect(lineTotalMinor({ quantityMilli: 3, unitPriceMinor: 100, taxRateBasisPoints: 0 })).toBe(0); // 0.3
  });
});

describe('CreateInvoiceSchema', () => {
  it('names every bad field', () => {
    const result = CreateInvoiceSchema.safeParse({
      customerId: 'nope',
      number: '',
      currency: 'EURO',
      issueDate: '2026-02-30',
      dueDate: '2026-03-31',
      lines: [],
    });
    expect(result.success).toBe(false);
    const fields = result.error?.issues.map((i) => i.path.join('.')).sort();
    expect(fields).toEqual(['currency', 'customerId', 'issueDate', 'lines', 'number']);
  });

  it('refuses a due date before the issue date', () => {
    const result = CreateInvoiceSchema.safeParse({
      customerId: '3f1f8f5e-8b7c-4a4e-9a59-2a0b7d0c1e11',
      number: 'INV-1',
      currency: 'EUR',
      issueDate: '2026-02-10',
      dueDate: '2026-02-01',
      lines: [{ description: 'x', quantityMilli: 1000, unitPriceMinor: 100 }],
    });
    expect(result.error?.issues).toMatchObject([
      { path: ['dueDate'], message: 'must not be before issueDate' },
    ]);
  });
});
