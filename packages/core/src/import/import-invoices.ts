import {
  type Db,
  type DbOrTx,
  type ExistingInvoice,
  findCustomerIdsByCode,
  findInvoicesByNumberOrExternalId,
  getOrganization,
  insertInvoicesWithLines,
  inTransaction,
  type NewInvoiceWithLines,
} from '@settle/db';
import { isValidCurrency } from '@settle/domain';
import { startInvoiceReminders } from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { AppError } from '../errors';
import { forEachConcurrently } from '../for-each-concurrently';
import { type CreateInvoiceInput, CreateInvoiceSchema, lineTotalMinor } from '../invoice/create-invoice';
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
  parseQuantityMilli,
  parseTaxRateBasisPoints,
  RowsRejectedSignal,
  UnknownColumns,
} from './import-rows';

/**
 * The columns of an invoice import. Either one row per invoice with `total` (one line, tax included),
 * or one row per line (`description`, `quantity`, `unit_price`, `tax_rate` in percent) with the
 * invoice's columns repeated and its rows consecutive; `total` on line rows, if given, must match.
 */
export const INVOICE_IMPORT_COLUMNS = [
  'number',
  'customer_code',
  'issue_date',
  'due_date',
  'currency',
  'external_id',
  'total',
  'description',
  'quantity',
  'unit_price',
  'tax_rate',
] as const;
type InvoiceColumn = (typeof INVOICE_IMPORT_COLUMNS)[number];

/** The invoice's own columns: every row of one invoice must repeat the same values. */
const HEADER_COLUMNS = ['customer_code', 'issue_date', 'due_date', 'currency', 'external_id'] as const;
/** A row with any of these is a line row; `description` alone also names the line of a total row. */
const LINE_COLUMNS = ['quantity', 'unit_price', 'tax_rate'] as const;

/** How many reminder workflows start at once after the commit. */
export const IMPORT_WORKFLOW_CONCURRENCY = 8;
/** After this many failed starts Temporal is taken as unreachable and the rest are not tried. */
const MAX_WORKFLOW_START_FAILURES = 3;
/**
 * One start may take this long. The client otherwise retries an unreachable server for about 20 s;
 * a start that times out but did reach the server is found running when the file is sent again.
 */
const WORKFLOW_START_DEADLINE_MS = 10_000;

export interface ImportWorkflowsOutcome {
  /** Workflows started for the import's open invoices. */
  started: number;
  /** Invoices whose workflow was already running (a re-import). */
  alreadyRunning: number;
  /**
   * Open invoices left without a running workflow because Temporal could not be reached. They are
   * committed; sending the same file again starts them (unchanged invoices are skipped, not refused).
   */
  notStarted: number;
  /** The first numbers of `notStarted` invoices (at most 100), to tell people which. */
  notStartedNumbers: string[];
}

export interface ImportInvoicesResult {
  ok: true;
  rows: number;
  created: number;
  /** Invoices already present with the same customer, currency, total and dates: left as they are. */
  skipped: number;
  workflows: ImportWorkflowsOutcome;
}

interface InvoiceGroup {
  number: string;
  rows: ImportRow[];
}

interface ReadyInvoice {
  number: string;
  line: number;
  externalId: string | null;
  customerId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  totalMinor: number;
  lines: NewInvoiceWithLines['lines'];
}

/** Schema path (from `CreateInvoiceSchema`) → import column. */
const COLUMN_OF_FIELD: Record<string, InvoiceColumn> = {
  customerId: 'customer_code',
  number: 'number',
  externalId: 'external_id',
  currency: 'currency',
  issueDate: 'issue_date',
  dueDate: 'due_date',
  description: 'description',
  quantityMilli: 'quantity',
  unitPriceMinor: 'unit_price',
  taxRateBasisPoints: 'tax_rate',
};

/** Stands in for an unknown customer so the rest of the invoice is still checked and reported. */
const UNKNOWN_CUSTOMER_ID = '00000000-0000-4000-8000-000000000000';

function textOf(row: ImportRow, column: InvoiceColumn, rowErrors: ImportRowError[]): string | undefined {
  const value = cellText(row.fields[column]);
  if (typeof value !== 'object') return value;
  rowErrors.push({ line: row.line, field: column, message: value.invalid });
  return undefined;
}

/**
 * Turns one invoice's rows into `createInvoice`'s input and validates it with the same schema, naming
 * each problem by CSV line (or array index) and column. `customerIds` maps this tenant's codes.
 */
export function prepareInvoice(
  group: InvoiceGroup,
  customerIds: ReadonlyMap<string, string>,
): { ok: true; invoice: ReadyInvoice } | { ok: false; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const [first] = group.rows;
  if (!first) throw new Error('an invoice group has at least one row');
  const header: Partial<Record<(typeof HEADER_COLUMNS)[number], string>> = {};
  for (const column of HEADER_COLUMNS) {
    const value = textOf(first, column, errors);
    if (value !== undefined) header[column] = column === 'currency' ? value.toUpperCase() : value;
  }
  for (const row of group.rows.slice(1)) {
    for (const column of HEADER_COLUMNS) {
      const value = textOf(row, column, errors);
      const normalized = column === 'currency' ? value?.toUpperCase() : value;
      if (normalized !== header[column]) {
        errors.push({
          line: row.line,
          field: column,
          message: `differs from line ${first.line} of invoice ${group.number}`,
        });
      }
    }
  }

  const currency = header.currency ?? '';
  const canReadAmounts = isValidCurrency(currency);
  const customerCode = header.customer_code;
  let customerId = UNKNOWN_CUSTOMER_ID;
  if (customerCode === undefined) {
    errors.push({ line: first.line, field: 'customer_code', message: 'required' });
  } else {
    const id = customerIds.get(customerCode);
    if (id) customerId = id;
    else
      errors.push({
        line: first.line,
        field: 'customer_code',
        message: `no customer with code ${customerCode}`,
      });
  }

  const isLineRow = (row: ImportRow) =>
    LINE_COLUMNS.some((column) => cellText(row.fields[column]) !== undefined);
  const hasLines = group.rows.some(isLineRow);
  const lines: {
    line: number;
    description: string;
    quantityMilli: number;
    /** 0 stands in while the cell is bad; the row's error then rejects the invoice. */
    unitPriceMinor: number;
    taxRateBasisPoints: number;
    viaTotal: boolean;
  }[] = [];
  let statedTotal: { minor: number; line: number } | undefined;

  for (const row of group.rows) {
    const totalText = textOf(row, 'total', errors);
    let total: number | undefined;
    if (totalText !== undefined && canReadAmounts) {
      const parsed = parseMoneyMinor(totalText, currency);
      if (!parsed.ok) errors.push({ line: row.line, field: 'total', message: parsed.message });
      else total = parsed.value;
    }
    if (total !== undefined) {
      if (statedTotal && statedTotal.minor !== total) {
        errors.push({
          line: row.line,
          field: 'total',
          message: `differs from line ${statedTotal.line} of invoice ${group.number}`,
        });
      }
      statedTotal ??= { minor: total, line: row.line };
    }
    if (!hasLines) {
      if (row !== first) {
        errors.push({
          line: row.line,
          field: 'number',
          message: `invoice ${group.number} already has a row with its total at line ${first.line}; give one row per invoice, or line rows with unit_price`,
        });
        continue;
      }
      if (totalText === undefined) {
        errors.push({ line: row.line, field: 'total', message: 'required when the row has no unit_price' });
        continue;
      }
      lines.push({
        line: row.line,
        description: textOf(row, 'description', errors) ?? `Invoice ${group.number}`,
        quantityMilli: 1_000,
        unitPriceMinor: total ?? 0,
        taxRateBasisPoints: 0,
        viaTotal: true,
      });
      continue;
    }
    if (!isLineRow(row)) {
      errors.push({
        line: row.line,
        field: 'unit_price',
        message: `required: invoice ${group.number} is given line by line`,
      });
      continue;
    }
    const entry: (typeof lines)[number] = {
      line: row.line,
      description: textOf(row, 'description', errors) ?? '',
      quantityMilli: 1_000,
      unitPriceMinor: 0,
      taxRateBasisPoints: 0,
      viaTotal: false,
    };
    const quantity = textOf(row, 'quantity', errors);
    if (quantity !== undefined) {
      const parsed = parseQuantityMilli(quantity);
      if (parsed.ok) entry.quantityMilli = parsed.value;
      else errors.push({ line: row.line, field: 'quantity', message: parsed.message });
    }
    const unitPrice = textOf(row, 'unit_price', errors);
    if (unitPrice === undefined) errors.push({ line: row.line, field: 'unit_price', message: 'required' });
    else if (canReadAmounts) {
      // Negative lines (discounts) are refused: lineTotalMinor rounds half up only for amounts >= 0.
      const parsed = parseMoneyMinor(unitPrice, currency);
      if (parsed.ok) entry.unitPriceMinor = parsed.value;
      else errors.push({ line: row.line, field: 'unit_price', message: parsed.message });
    }
    const taxRate = textOf(row, 'tax_rate', errors);
    if (taxRate !== undefined) {
      const parsed = parseTaxRateBasisPoints(taxRate);
      if (parsed.ok) entry.taxRateBasisPoints = parsed.value;
      else errors.push({ line: row.line, field: 'tax_rate', message: parsed.message });
    }
    lines.push(entry);
  }

  // The same schema as createInvoice: one set of rules for an invoice, however it arrives.
  const candidate: CreateInvoiceInput = {
    customerId,
    number: group.number,
    ...(header.external_id !== undefined ? { externalId: header.external_id } : {}),
    currency,
    issueDate: header.issue_date ?? '',
    dueDate: header.due_date ?? '',
    lines: lines.map((line) => ({
      description: line.description,
      quantityMilli: line.quantityMilli,
      unitPriceMinor: line.unitPriceMinor,
      taxRateBasisPoints: line.taxRateBasisPoints,
    })),
  };
  const parsed = CreateInvoiceSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top = '', index, leaf] = issue.path.map(String);
      if (top === 'lines' && index !== undefined && leaf !== undefined) {
        const line = lines[Number(index)];
        const column =
          line?.viaTotal && leaf === 'unitPriceMinor' ? 'total' : (COLUMN_OF_FIELD[leaf] ?? leaf);
        errors.push({ line: line?.line ?? first.line, field: column, message: issue.message });
      } else if (top === 'lines') {
        // No lines at all: the rows' own errors already say why.
        if (errors.length === 0) errors.push({ line: first.line, field: 'total', message: issue.message });
      } else if (top !== 'customerId') {
        errors.push({ line: first.line, field: COLUMN_OF_FIELD[top] ?? top, message: issue.message });
      }
    }
  }
  if (!parsed.success || errors.length > 0) return { ok: false, errors: dedupe(errors) };

  const data = parsed.data;
  const priced = data.lines.map((line) => ({ ...line, totalMinor: lineTotalMinor(line) }));
  const totalMinor = priced.reduce((sum, line) => sum + line.totalMinor, 0);
  if (!Number.isSafeInteger(totalMinor) || totalMinor <= 0) {
    return {
      ok: false,
      errors: [
        {
          line: first.line,
          field: hasLines ? 'unit_price' : 'total',
          message: 'the invoice total must be positive',
        },
      ],
    };
  }
  if (statedTotal && hasLines && statedTotal.minor !== totalMinor) {
    return {
      ok: false,
      errors: [
        {
          line: statedTotal.line,
          field: 'total',
          message: `does not match the lines, which add up to ${totalMinor} minor units`,
        },
      ],
    };
  }
  return {
    ok: true,
    invoice: {
      number: data.number,
      line: first.line,
      externalId: data.externalId ?? null,
      customerId: data.customerId,
      currency: data.currency,
      issueDate: data.issueDate,
      dueDate: data.dueDate,
      totalMinor,
      lines: priced.map((line) => ({
        description: line.description,
        quantity_milli: line.quantityMilli,
        unit_price_minor: line.unitPriceMinor,
        tax_rate_basis_points: line.taxRateBasisPoints,
        total_minor: line.totalMinor,
      })),
    },
  };
}

function dedupe(errors: ImportRowError[]): ImportRowError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.line}|${error.field}|${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isSameInvoice(existing: ExistingInvoice, invoice: ReadyInvoice): boolean {
  return (
    existing.number === invoice.number &&
    existing.customer_id === invoice.customerId &&
    existing.currency === invoice.currency &&
    existing.total_minor === invoice.totalMinor &&
    existing.issue_date === invoice.issueDate &&
    existing.due_date === invoice.dueDate &&
    (invoice.externalId === null || existing.external_id === invoice.externalId)
  );
}

/** Validates and writes one batch of invoices; returns the ids whose workflows must run. */
async function writeBatch(
  tx: DbOrTx,
  organizationId: string,
  groups: readonly InvoiceGroup[],
  errors: ImportErrorList,
): Promise<{
  created: { id: string; number: string }[];
  skippedOpen: { id: string; number: string }[];
  skipped: number;
}> {
  const codes = new Set<string>();
  for (const group of groups) {
    for (const row of group.rows) {
      const code = cellText(row.fields.customer_code);
      if (typeof code === 'string') codes.add(code);
    }
  }
  const customerIds = await findCustomerIdsByCode(tx, organizationId, [...codes]);
  const ready: ReadyInvoice[] = [];
  for (const group of groups) {
    const prepared = prepareInvoice(group, customerIds);
    if (prepared.ok) ready.push(prepared.invoice);
    else for (const error of prepared.errors) errors.add(error);
  }
  const existing = await findInvoicesByNumberOrExternalId(
    tx,
    organizationId,
    ready.map((invoice) => invoice.number),
    ready.flatMap((invoice) => (invoice.externalId === null ? [] : [invoice.externalId])),
  );
  const byNumber = new Map(existing.map((invoice) => [invoice.number, invoice]));
  const byExternalId = new Map(
    existing.flatMap((invoice) =>
      invoice.external_id === null ? [] : [[invoice.external_id, invoice] as const],
    ),
  );
  const toInsert: ReadyInvoice[] = [];
  const skippedOpen: { id: string; number: string }[] = [];
  let skipped = 0;
  for (const invoice of ready) {
    const sameNumber = byNumber.get(invoice.number);
    if (sameNumber) {
      if (isSameInvoice(sameNumber, invoice)) {
        skipped++;
        if (sameNumber.status === 'open') skippedOpen.push({ id: sameNumber.id, number: sameNumber.number });
      } else {
        errors.add({
          line: invoice.line,
          field: 'number',
          message: `invoice ${invoice.number} exists with a different customer, currency, total or dates`,
        });
      }
      continue;
    }
    const sameExternalId = invoice.externalId === null ? undefined : byExternalId.get(invoice.externalId);
    if (sameExternalId) {
      errors.add({
        line: invoice.line,
        field: 'external_id',
        message: `already used by invoice ${sameExternalId.number}`,
      });
      continue;
    }
    toInsert.push(invoice);
  }
  // Once a row is bad everything is rolled back: validation goes on, writing stops.
  if (!errors.isEmpty) return { created: [], skippedOpen: [], skipped };
  const created = await insertInvoicesWithLines(
    tx,
    toInsert.map((invoice) => ({
      organization_id: organizationId,
      customer_id: invoice.customerId,
      number: invoice.number,
      external_id: invoice.externalId,
      currency: invoice.currency,
      total_minor: invoice.totalMinor,
      issue_date: invoice.issueDate,
      due_date: invoice.dueDate,
      lines: invoice.lines,
    })),
  );
  return { created, skippedOpen, skipped };
}

async function startWorkflows(
  deps: { temporal: Client; taskQueue?: string },
  invoices: readonly { id: string; number: string }[],
): Promise<ImportWorkflowsOutcome> {
  const outcome: ImportWorkflowsOutcome = {
    started: 0,
    alreadyRunning: 0,
    notStarted: 0,
    notStartedNumbers: [],
  };
  let failures = 0;
  const notStarted = (number: string) => {
    outcome.notStarted++;
    if (outcome.notStartedNumbers.length < 100) outcome.notStartedNumbers.push(number);
  };
  await forEachConcurrently(invoices, IMPORT_WORKFLOW_CONCURRENCY, async (invoice) => {
    if (failures >= MAX_WORKFLOW_START_FAILURES) {
      notStarted(invoice.number);
      return;
    }
    try {
      const result = await deps.temporal.connection.withDeadline(
        Date.now() + WORKFLOW_START_DEADLINE_MS,
        () =>
          startInvoiceReminders(
            deps.temporal,
            invoice.id,
            deps.taskQueue ? { taskQueue: deps.taskQueue } : {},
          ),
      );
      if (result.started) outcome.started++;
      else outcome.alreadyRunning++;
    } catch {
      failures++;
      notStarted(invoice.number);
    }
  });
  return outcome;
}

/**
 * Imports invoices from rows of a CSV file or JSON array, all or nothing, in one transaction; each
 * invoice is checked by `createInvoice`'s schema. An invoice number that exists with the same customer,
 * currency, total and dates is skipped (so a file can be sent again); with anything different it is a
 * row error. If any row is bad nothing is written and every bad row comes back with its line and
 * column. After the commit the reminder workflow of every open invoice is started (a few at a time;
 * one already running is fine); if Temporal is unreachable the invoices stay committed and the
 * result counts the workflows not started: sending the same file again starts them.
 */
export async function importInvoices(
  deps: { db: Db; temporal: Client; taskQueue?: string },
  input: {
    organizationId: string;
    rows: AsyncIterable<ImportRow>;
    actor: { type: 'user' | 'api_key' | 'system'; id?: string };
    onProgress?: ImportProgress;
    progressEvery?: number;
  },
): Promise<ImportInvoicesResult | ImportRejected> {
  if (!(await getOrganization(deps.db, input.organizationId))) {
    throw new AppError('NOT_FOUND', `organization ${input.organizationId} not found`);
  }
  const errors = new ImportErrorList();
  const columns = new UnknownColumns(new Set(INVOICE_IMPORT_COLUMNS));
  const progressEvery = input.progressEvery ?? IMPORT_PROGRESS_EVERY;
  // Numbers seen so far and their first line: an invoice's rows must be consecutive, so only the
  // current invoice is held in memory however large the file.
  const seenNumbers = new Map<string, number>();
  let rowsRead = 0;
  let committed: { toStart: { id: string; number: string }[]; created: number; skipped: number };
  try {
    // The rows are a stream read inside the transaction: it cannot run twice, so a deadlock is not
    // retried here; the caller answers "retry later" and the whole import is sent again.
    committed = await inTransaction(
      deps.db,
      async (tx) => {
        const toStart: { id: string; number: string }[] = [];
        let created = 0;
        let skipped = 0;
        let batch: InvoiceGroup[] = [];
        let current: InvoiceGroup | undefined;
        const flush = async () => {
          if (batch.length === 0) return;
          const written = await writeBatch(tx, input.organizationId, batch, errors);
          created += written.created.length;
          skipped += written.skipped;
          toStart.push(...written.created, ...written.skippedOpen);
          batch = [];
        };
        const close = async () => {
          if (current) batch.push(current);
          current = undefined;
          if (batch.length >= IMPORT_BATCH_SIZE) await flush();
        };
        for await (const row of input.rows) {
          rowsRead++;
          if (input.onProgress && rowsRead % progressEvery === 0) await input.onProgress(rowsRead);
          columns.check(row, errors);
          const rowErrors: ImportRowError[] = [];
          const number = textOf(row, 'number', rowErrors);
          if (number === undefined) {
            for (const error of rowErrors) errors.add(error);
            if (rowErrors.length === 0) errors.add({ line: row.line, field: 'number', message: 'required' });
          } else if (current?.number === number) {
            current.rows.push(row);
          } else {
            await close();
            const firstLine = seenNumbers.get(number);
            if (firstLine !== undefined) {
              errors.add({
                line: row.line,
                field: 'number',
                message: `invoice ${number} appears again (first at line ${firstLine}); the rows of one invoice must be consecutive`,
              });
            } else {
              seenNumbers.set(number, row.line);
              current = { number, rows: [row] };
            }
          }
          if (errors.isFull) break;
        }
        await close();
        await flush();
        await concludeImport(tx, {
          errors,
          rowsRead,
          what: 'invoice',
          organizationId: input.organizationId,
          actor: input.actor,
          counts: { created, skipped },
        });
        return { toStart, created, skipped };
      },
      { maxAttempts: 1 },
    );
  } catch (error) {
    if (error instanceof RowsRejectedSignal) return errors.rejected(rowsRead);
    if (isUniqueViolation(error)) {
      throw new AppError(
        'CONFLICT',
        'an invoice number or external id of this import was created meanwhile',
        {
          userMessage:
            'Another request created one of these invoices while the import ran; send the file again.',
          cause: error,
        },
      );
    }
    throw error;
  }
  const workflows = await startWorkflows(deps, committed.toStart);
  return { ok: true, rows: rowsRead, created: committed.created, skipped: committed.skipped, workflows };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}
