import { describe, expect, it } from 'vitest';
import { prepareInvoice } from './import-invoices';
import type { ImportRow } from './import-rows';

const ACME = '3f1f8f5e-8b7c-4a4e-9a59-2a0b7d0c1e11';
const customers = new Map([['ACME', ACME]]);
const header = {
  number: 'INV-1',
  customer_code: 'ACME',
  issue_date: '2026-03-01',
  due_date: '2026-03-31',
  currency: 'EUR',
};
const rows = (...fields: Record<string, unknown>[]): { number: string; rows: ImportRow[] } => ({
  number: 'INV-1',
  rows: fields.map((f, i) => ({ line: i + 2, fields: { ...header, ...f } })),
});

describe('prepareInvoice', () => {
  it('reads one row per invoice with a total as a single line, in minor units', () => {
    const result = prepareInvoice(rows({ total: '1234.56' }), customers);
    expect(result).toMatchObject({
      ok: true,
      invoice: {
        number: 'INV-1',
        line: 2,
        customerId: ACME,
        currency: 'EUR',
        totalMinor: 123_456,
        lines: [
          {
            description: 'Invoice INV-1',
            quantity_milli: 1000,
            unit_price_minor: 123_456,
            total_minor: 123_456,
          },
        ],
      },
    });
  });

  it('groups line rows into one invoice and prices them like createInvoice (tax per line, half up)', () => {
    const result = prepareInvoice(
      rows(
        { description: 'Consulting', quantity: '1.5', unit_price: '19.99', tax_rate: '23' }, // 29.985 × 1.23 = 36.88155 → 36.88
        { description: 'Travel', quantity: '', unit_price: '100', tax_rate: '0%', total: '136.88' }, // 1 × 100.00
      ),
      customers,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.invoice.lines.map((l) => l.total_minor)).toEqual([3688, 10_000]);
    expect(result.invoice.totalMinor).toBe(13_688);
  });

  it('names the line and column of every bad cell', () => {
    const result = prepareInvoice(
      {
        number: 'INV-1',
        rows: [
          { line: 7, fields: { ...header, issue_date: '2026-02-30', description: 'A', unit_price: '1.999' } },
          { line: 8, fields: { ...header, issue_date: '2026-02-30', description: '', unit_price: 'ten' } },
          {
            line: 9,
            fields: { ...header, issue_date: '2026-02-30', description: 'C', unit_price: '1', quantity: '0' },
          },
        ],
      },
      customers,
    );
    expect(result).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        { line: 7, field: 'unit_price', message: 'has more than 2 decimal places for EUR' },
        { line: 8, field: 'unit_price', message: expect.stringContaining('expected a decimal number') },
        { line: 8, field: 'description', message: 'required' },
        { line: 9, field: 'quantity', message: 'expected a positive quantity in thousandths' },
        { line: 7, field: 'issue_date', message: 'expected a date YYYY-MM-DD' },
      ]),
    });
  });

  it('refuses an unknown currency, an unknown customer code and a due date before the issue date', () => {
    expect(prepareInvoice(rows({ total: '10', currency: 'EURO' }), customers)).toEqual({
      ok: false,
      errors: [{ line: 2, field: 'currency', message: 'expected an ISO 4217 currency code such as EUR' }],
    });
    expect(prepareInvoice(rows({ total: '10', customer_code: 'GLOBEX' }), customers)).toEqual({
      ok: false,
      errors: [{ line: 2, field: 'customer_code', message: 'no customer with code GLOBEX' }],
    });
    expect(prepareInvoice(rows({ total: '10', due_date: '2026-02-01' }), customers)).toEqual({
      ok: false,
      errors: [{ line: 2, field: 'due_date', message: 'must not be before issueDate' }],
    });
    expect(prepareInvoice(rows({ total: '10', issue_date: '01.03.2026' }), customers)).toEqual({
      ok: false,
      errors: [{ line: 2, field: 'issue_date', message: 'expected a date YYYY-MM-DD' }],
    });
  });

  it('names the single line of a total row by its description', () => {
    const result = prepareInvoice(rows({ total: '10', description: 'March retainer' }), customers);
    expect(result).toMatchObject({ ok: true, invoice: { lines: [{ description: 'March retainer' }] } });
  });

  it('refuses negative unit prices (discount lines)', () => {
    expect(prepareInvoice(rows({ description: 'Discount', unit_price: '-10' }), customers)).toEqual({
      ok: false,
      errors: [{ line: 2, field: 'unit_price', message: 'must not be negative' }],
    });
  });

  it('accepts lower-case currency codes and JSON numbers for amounts', () => {
    const result = prepareInvoice(rows({ total: 99.95, currency: 'pln' }), customers);
    expect(result).toMatchObject({ ok: true, invoice: { currency: 'PLN', totalMinor: 9995 } });
  });

  it("refuses rows of one invoice that disagree on the invoice's columns, or a total the lines do not make", () => {
    const disagreeing = prepareInvoice(
      rows(
        { description: 'A', unit_price: '10' },
        { description: 'B', unit_price: '10', due_date: '2026-04-30' },
      ),
      customers,
    );
    expect(disagreeing).toEqual({
      ok: false,
      errors: [{ line: 3, field: 'due_date', message: 'differs from line 2 of invoice INV-1' }],
    });
    const wrongTotal = prepareInvoice(rows({ description: 'A', unit_price: '10', total: '11' }), customers);
    expect(wrongTotal).toEqual({
      ok: false,
      errors: [
        { line: 2, field: 'total', message: 'does not match the lines, which add up to 1000 minor units' },
      ],
    });
  });

  it('refuses an invoice with no total and no lines, and one with a total that is not positive', () => {
    expect(prepareInvoice(rows({}), customers)).toMatchObject({
      ok: false,
      errors: [{ line: 2, field: 'total', message: 'required when the row has no unit_price' }],
    });
    expect(prepareInvoice(rows({ total: '0' }), customers)).toEqual({
      ok: false,
      errors: [{ line: 2, field: 'total', message: 'the invoice total must be positive' }],
    });
  });
});
