import type { AgingReport } from '@settle/core';
import { toDecimalString } from '@settle/domain';

const BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so a spreadsheet never runs a name as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The aging report as CSV: one row per customer and currency, then one total row per currency.
 * Amounts are exact decimal strings of the currency (never floats), so the file matches the report.
 */
export function agingReportCsv(report: AgingReport): string {
  const header = [
    'as_of',
    'currency',
    'customer_code',
    'customer_name',
    'current',
    'days_1_30',
    'days_31_60',
    'days_61_90',
    'days_over_90',
    'total',
    'invoices',
  ];
  const amount = (amountMinor: number, currency: string) => toDecimalString({ amountMinor, currency });
  const rows: string[][] = [];
  const customers = [...report.customers].sort(
    (a, b) => a.currency.localeCompare(b.currency) || a.code.localeCompare(b.code),
  );
  for (const row of customers) {
    rows.push([
      report.asOf,
      row.currency,
      row.code,
      row.name,
      ...BUCKETS.map((bucket) => amount(row.buckets[bucket], row.currency)),
      amount(row.totalMinor, row.currency),
      String(row.invoiceCount),
    ]);
  }
  for (const total of report.currencies) {
    rows.push([
      report.asOf,
      total.currency,
      '',
      'TOTAL',
      ...BUCKETS.map((bucket) => amount(total.buckets[bucket], total.currency)),
      amount(total.totalMinor, total.currency),
      String(total.invoiceCount),
    ]);
  }
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
