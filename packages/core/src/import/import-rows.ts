import { randomUUID } from 'node:crypto';
import { type AuditEntry, appendAuditLog, type DbOrTx } from '@settle/db';
import { currencyDigits, isValidCurrency } from '@settle/domain';
import { AppError } from '../errors';

/**
 * What imports share: rows as they come from a CSV file or a JSON array, the errors that name a row
 * and a field, exact decimal parsing, and the rules of an all-or-nothing import.
 */

/** One record of an import: its CSV line (header = line 1) or JSON array index, and its fields by column. */
export interface ImportRow {
  line: number;
  fields: Record<string, unknown>;
}

/** A bad row: where it is, which column, and why. */
export interface ImportRowError {
  line: number;
  field: string;
  message: string;
}

/** The import wrote nothing: every bad row is listed (up to `MAX_IMPORT_ERRORS`). */
export interface ImportRejected {
  ok: false;
  rows: number;
  errors: ImportRowError[];
  /** More rows were bad than are listed; reading stopped at the cap. */
  truncated: boolean;
}

/** Listing more bad rows than this helps nobody; reading stops there. */
export const MAX_IMPORT_ERRORS = 1_000;
/** Rows are validated and written in batches of this many invoices or customers. */
export const IMPORT_BATCH_SIZE = 500;
/** Progress is reported after every this many rows by default. */
export const IMPORT_PROGRESS_EVERY = 1_000;

/** Progress callback: awaited, so a slow reader of a streamed answer slows the import down. */
export type ImportProgress = (rowsRead: number) => void | Promise<void>;

/** Collects row errors up to the cap. */
export class ImportErrorList {
  readonly errors: ImportRowError[] = [];
  truncated = false;

  add(error: ImportRowError): void {
    if (this.errors.length < MAX_IMPORT_ERRORS) this.errors.push(error);
    else this.truncated = true;
  }

  get isFull(): boolean {
    return this.truncated;
  }

  get isEmpty(): boolean {
    return this.errors.length === 0;
  }

  rejected(rows: number): ImportRejected {
    const errors = [...this.errors].sort((a, b) => a.line - b.line);
    return { ok: false, rows, errors, truncated: this.truncated };
  }
}

/** Thrown inside an import's transaction to roll everything back when a row is bad. */
export class RowsRejectedSignal extends Error {
  constructor() {
    super('import rolled back: bad rows');
  }
}

export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A cell as text: strings are trimmed, JSON numbers become their shortest decimal form, booleans
 * their name. Absent, null and empty cells are `undefined`.
 */
export function cellText(value: unknown): string | undefined | { invalid: string } {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return { invalid: `expected text, got ${Array.isArray(value) ? 'an array' : typeof value}` };
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * An exact decimal string scaled by 10^digits into an integer, without floating point: `12.5` with 2
 * digits is 1250. More decimals than `digits` are refused unless they are zeros (`12.500` is fine).
 */
export function parseScaledDecimal(
  text: string,
  digits: number,
  what: { unit: string; allowNegative?: boolean },
): FieldResult<number> {
  const match = DECIMAL.exec(text);
  if (!match) {
    return {
      ok: false,
      message: `expected a decimal number such as 1234.50 (a dot before decimals, no thousands separators), got ${JSON.stringify(text)}`,
    };
  }
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (sign === '-' && !what.allowNegative) return { ok: false, message: 'must not be negative' };
  if (fraction.length > digits && !/^0*$/.test(fraction.slice(digits))) {
    return {
      ok: false,
      message: `has more than ${digits} decimal place${digits === 1 ? '' : 's'} for ${what.unit}`,
    };
  }
  const scaled =
    BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.slice(0, digits).padEnd(digits, '0') || '0');
  const value = Number(sign === '-' ? -scaled : scaled);
  if (!Number.isSafeInteger(value)) return { ok: false, message: 'is too large' };
  return { ok: true, value };
}

/** A money amount in a currency's minor units (`19.99` EUR → 1999, `1500` JPY → 1500). */
export function parseMoneyMinor(
  text: string,
  currency: string,
  options: { allowNegative?: boolean } = {},
): FieldResult<number> {
  if (!isValidCurrency(currency)) return { ok: false, message: 'cannot be read without a valid currency' };
  return parseScaledDecimal(text, currencyDigits(currency), {
    unit: currency,
    allowNegative: options.allowNegative ?? false,
  });
}

/** A quantity in thousandths (`1.5` → 1500). */
export function parseQuantityMilli(text: string): FieldResult<number> {
  return parseScaledDecimal(text, 3, { unit: 'a quantity' });
}

/** A tax rate in percent, `%` optional, into basis points (`23` → 2300, `7.5%` → 750). */
export function parseTaxRateBasisPoints(text: string): FieldResult<number> {
  const result = parseScaledDecimal(text.replace(/%$/, '').trim(), 2, { unit: 'a tax rate in percent' });
  if (result.ok && result.value > 10_000) return { ok: false, message: 'must be at most 100 (percent)' };
  return result;
}

/** The fields of a row that are not among `known`, each reported once per import. */
export class UnknownColumns {
  private readonly reported = new Set<string>();
  constructor(private readonly known: ReadonlySet<string>) {}

  check(row: ImportRow, errors: ImportErrorList): void {
    for (const field of Object.keys(row.fields)) {
      if (this.known.has(field) || this.reported.has(field)) continue;
      this.reported.add(field);
      errors.add({
        line: row.line,
        field,
        message: `unknown column; expected some of ${[...this.known].join(', ')}`,
      });
    }
  }
}

/**
 * Ends an import inside its transaction: any bad row (or no row at all) rolls everything back; a good
 * import is written to the audit log. Shared by the customer and invoice imports.
 */
export async function concludeImport(
  tx: DbOrTx,
  input: {
    errors: ImportErrorList;
    rowsRead: number;
    what: 'customer' | 'invoice';
    organizationId: string;
    actor: AuditEntry['actor'];
    counts: Record<string, number>;
  },
): Promise<void> {
  if (!input.errors.isEmpty) throw new RowsRejectedSignal();
  if (input.rowsRead === 0) {
    throw new AppError('VALIDATION', 'the import has no rows', {
      details: [{ field: 'body', message: `expected at least one ${input.what} row` }],
    });
  }
  await appendAuditLog(tx, {
    organizationId: input.organizationId,
    actor: input.actor,
    action: `${input.what}s.imported`,
    subject: { type: 'import', id: randomUUID() },
    data: { rows: input.rowsRead, ...input.counts },
  });
}
