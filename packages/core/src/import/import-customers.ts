import {
  type Db,
  getOrganization,
  type ImportableCustomerColumn,
  inTransaction,
  type NewCustomer,
  type Organization,
  upsertCustomersByCode,
} from '@settle/db';
import { isValidCurrency } from '@settle/domain';
import { type CreateCustomerInput, CustomerFieldsSchema } from '../customer/customer-fields';
import { AppError } from '../errors';
import {
  cellText,
  concludeImport,
  IMPORT_BATCH_SIZE,
  IMPORT_PROGRESS_EVERY,
  ImportErrorList,
  type ImportProgress,
  type ImportRejected,
  type ImportRow,
  type ImportRowError,
  parseMoneyMinor,
  RowsRejectedSignal,
  UnknownColumns,
} from './import-rows';

/** The columns of a customer import (CSV header or JSON keys). `currency` is the credit limit's. */
export const CUSTOMER_IMPORT_COLUMNS = [
  'code',
  'name',
  'contact_name',
  'email',
  'phone',
  'vat_number',
  'registration_number',
  'address_line1',
  'address_line2',
  'postal_code',
  'city',
  'country',
  'locale',
  'time_zone',
  'segment',
  'credit_limit',
  'currency',
] as const;
type CustomerColumn = (typeof CUSTOMER_IMPORT_COLUMNS)[number];

/** Plain text columns: import column → field of `CustomerFieldsSchema` → database column. */
const TEXT_COLUMNS = {
  contact_name: ['contactName', 'contact_name'],
  email: ['email', 'email'],
  phone: ['phone', 'phone'],
  vat_number: ['vatNumber', 'vat_number'],
  registration_number: ['registrationNumber', 'registration_number'],
  address_line1: ['addressLine1', 'address_line1'],
  address_line2: ['addressLine2', 'address_line2'],
  postal_code: ['postalCode', 'postal_code'],
  city: ['city', 'city'],
  segment: ['segment', 'segment'],
} as const satisfies Partial<Record<CustomerColumn, readonly [keyof CreateCustomerInput, keyof NewCustomer]>>;

/** Columns that default to the organization's value for a new customer and stay unchanged if empty. */
const DEFAULTED_COLUMNS = {
  country: ['country', 'country'],
  locale: ['locale', 'locale'],
  time_zone: ['timeZone', 'time_zone'],
} as const;

/** Schema field (first path segment) → the import column to name in an error. */
const COLUMN_OF_FIELD: Record<string, CustomerColumn> = {
  code: 'code',
  name: 'name',
  ...Object.fromEntries(
    Object.entries({ ...TEXT_COLUMNS, ...DEFAULTED_COLUMNS }).map(([column, [field]]) => [field, column]),
  ),
};

export interface ImportCustomersResult {
  ok: true;
  rows: number;
  created: number;
  updated: number;
}

interface PreparedCustomer {
  values: NewCustomer;
  /** The database columns an existing customer gets from this row. */
  updateColumns: ImportableCustomerColumn[];
}

function normalizePhone(text: string): string {
  // Exports write numbers for people (`+48 22 123-45-67`); E.164 has no separators.
  return text.replace(/[\s\-().]/g, '');
}

/**
 * Validates one row with the same schema as `createCustomer`, filling country, locale and time zone
 * from the organization when the row leaves them empty. Returns the row's values, or its errors.
 */
function prepareCustomer(
  row: ImportRow,
  organization: Organization,
): { ok: true; customer: PreparedCustomer } | { ok: false; errors: ImportRowError[] } {
  const rowErrors: ImportRowError[] = [];
  const fail = (field: string, message: string) => rowErrors.push({ line: row.line, field, message });
  const text = (column: CustomerColumn): string | undefined => {
    const value = cellText(row.fields[column]);
    if (typeof value !== 'object') return value;
    fail(column, value.invalid);
    return undefined;
  };
  const has = (column: CustomerColumn) => Object.hasOwn(row.fields, column);

  const input: Record<string, unknown> = { code: text('code') ?? '', name: text('name') ?? '' };
  const updateColumns: ImportableCustomerColumn[] = ['name'];
  for (const [column, [field, dbColumn]] of Object.entries(TEXT_COLUMNS)) {
    if (!has(column as CustomerColumn)) continue;
    const value = text(column as CustomerColumn);
    input[field] = value === undefined ? null : column === 'phone' ? normalizePhone(value) : value;
    updateColumns.push(dbColumn);
  }
  const defaults: Record<keyof typeof DEFAULTED_COLUMNS, string> = {
    country: organization.country,
    locale: organization.default_locale,
    time_zone: organization.default_time_zone,
  };
  for (const [column, [field, dbColumn]] of Object.entries(DEFAULTED_COLUMNS)) {
    const value = text(column as CustomerColumn);
    if (value === undefined) {
      input[field] = defaults[column as keyof typeof DEFAULTED_COLUMNS];
      continue;
    }
    input[field] =
      column === 'country' ? value.toUpperCase() : column === 'locale' ? value.toLowerCase() : value;
    updateColumns.push(dbColumn);
  }
  if (has('credit_limit')) {
    const amount = text('credit_limit');
    const currency = (text('currency') ?? organization.default_currency).toUpperCase();
    if (amount === undefined) {
      input.creditLimit = null;
    } else if (!isValidCurrency(currency)) {
      fail('currency', 'expected an ISO 4217 currency code such as EUR');
    } else {
      const parsed = parseMoneyMinor(amount, currency);
      if (parsed.ok) input.creditLimit = { amountMinor: parsed.value, currency };
      else fail('credit_limit', parsed.message);
    }
    updateColumns.push('credit_limit_minor', 'credit_limit_currency');
  }

  const parsed = CustomerFieldsSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first = '', second] = issue.path.map(String);
      const field =
        first === 'creditLimit'
          ? second === 'currency'
            ? 'currency'
            : 'credit_limit'
          : (COLUMN_OF_FIELD[first] ?? first);
      fail(field, issue.message);
    }
  }
  if (!parsed.success || rowErrors.length > 0) return { ok: false, errors: rowErrors };
  const data = parsed.data;
  const values: NewCustomer = {
    organization_id: organization.id,
    code: data.code,
    name: data.name,
    contact_name: data.contactName ?? null,
    email: data.email ?? null,
    phone: data.phone ?? null,
    vat_number: data.vatNumber ?? null,
    registration_number: data.registrationNumber ?? null,
    address_line1: data.addressLine1 ?? null,
    address_line2: data.addressLine2 ?? null,
    postal_code: data.postalCode ?? null,
    city: data.city ?? null,
    country: data.country,
    locale: data.locale,
    time_zone: data.timeZone,
    segment: data.segment ?? null,
    credit_limit_minor: data.creditLimit?.amountMinor ?? null,
    credit_limit_currency: data.creditLimit?.currency ?? null,
  };
  return { ok: true, customer: { values, updateColumns } };
}

/**
 * Imports customers from rows of a CSV file or JSON array, all or nothing, in one transaction.
 * A code that exists in the organization updates that customer: only the columns the row carries
 * change (an empty cell clears an optional field; empty country, locale or time zone keep theirs),
 * so importing the same file twice changes nothing. A code twice in one import is a row error. If any
 * row is bad nothing is written and every bad row comes back with its line and column.
 */
export async function importCustomers(
  deps: { db: Db },
  input: {
    organizationId: string;
    rows: AsyncIterable<ImportRow>;
    actor: { type: 'user' | 'api_key' | 'system'; id?: string };
    onProgress?: ImportProgress;
    progressEvery?: number;
  },
): Promise<ImportCustomersResult | ImportRejected> {
  const organization = await getOrganization(deps.db, input.organizationId);
  if (!organization) throw new AppError('NOT_FOUND', `organization ${input.organizationId} not found`);
  const errors = new ImportErrorList();
  const columns = new UnknownColumns(new Set(CUSTOMER_IMPORT_COLUMNS));
  const progressEvery = input.progressEvery ?? IMPORT_PROGRESS_EVERY;
  const seenCodes = new Map<string, number>();
  let rowsRead = 0;
  try {
    // The rows are a stream read inside the transaction: it cannot run twice, so a deadlock is not
    // retried here; the caller answers "retry later" and the whole import is sent again.
    return await inTransaction(
      deps.db,
      async (tx) => {
        let created = 0;
        let updated = 0;
        let batch: PreparedCustomer[] = [];
        const flush = async () => {
          // Once a row is bad the transaction is rolled back anyway; validation goes on, writing stops.
          if (errors.isEmpty) {
            // One statement per set of supplied columns (a CSV has one; JSON objects may differ).
            const bySignature = new Map<string, PreparedCustomer[]>();
            for (const customer of batch) {
              const signature = customer.updateColumns.join(',');
              const group = bySignature.get(signature);
              if (group) group.push(customer);
              else bySignature.set(signature, [customer]);
            }
            for (const group of bySignature.values()) {
              const counts = await upsertCustomersByCode(
                tx,
                group.map((c) => c.values),
                group[0]?.updateColumns ?? [],
              );
              created += counts.created;
              updated += counts.updated;
            }
          }
          batch = [];
        };
        for await (const row of input.rows) {
          rowsRead++;
          if (input.onProgress && rowsRead % progressEvery === 0) await input.onProgress(rowsRead);
          columns.check(row, errors);
          const prepared = prepareCustomer(row, organization);
          if (!prepared.ok) {
            for (const error of prepared.errors) errors.add(error);
          } else {
            const { customer } = prepared;
            const firstLine = seenCodes.get(customer.values.code);
            if (firstLine !== undefined) {
              errors.add({
                line: row.line,
                field: 'code',
                message: `code ${customer.values.code} appears again (first at line ${firstLine})`,
              });
            } else {
              seenCodes.set(customer.values.code, row.line);
              batch.push(customer);
            }
          }
          if (errors.isFull) break;
          if (batch.length >= IMPORT_BATCH_SIZE) await flush();
        }
        await flush();
        await concludeImport(tx, {
          errors,
          rowsRead,
          what: 'customer',
          organizationId: input.organizationId,
          actor: input.actor,
          counts: { created, updated },
        });
        return { ok: true as const, rows: rowsRead, created, updated };
      },
      { maxAttempts: 1 },
    );
  } catch (error) {
    if (error instanceof RowsRejectedSignal) return errors.rejected(rowsRead);
    throw error;
  }
}
