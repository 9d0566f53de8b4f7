import { type Expression, type SqlBool, sql } from 'kysely';
import type { DbOrTx } from '../client';
import type { Customer, Dispute, Invoice, InvoiceStatus, PromiseToPay, Template } from '../schema';
import type { ReminderPolicyWithSteps } from './reminders';

/**
 * Keyset pages of tenant rows for the integration API, ordered by creation time then id. Times compare
 * at millisecond precision (what a JavaScript Date and the cursor carry), so a page boundary never
 * repeats or skips a row created within the same millisecond.
 */

export interface PageCursor {
  /** ISO timestamp of the last row's creation time, in milliseconds. */
  at: string;
  id: string;
}

export interface PageOptions {
  limit: number;
  after?: PageCursor;
}

export interface Page<T> {
  rows: T[];
  next: PageCursor | null;
}

function orderKey(column: string) {
  return sql`date_trunc('milliseconds', ${sql.ref(column)})`;
}

function afterCursor(column: string, idColumn: string, after: PageCursor): Expression<SqlBool> {
  return sql<SqlBool>`(${orderKey(column)}, ${sql.ref(idColumn)}) > (${after.at}::timestamptz, ${after.id}::uuid)`;
}

function toPage<T extends { id: string }>(rows: T[], limit: number, timeOf: (row: T) => Date): Page<T> {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: hasMore && last ? { at: timeOf(last).toISOString(), id: last.id } : null };
}

/** `q` matches code, name or e-mail, case-insensitively, anywhere in the text. */
export async function listCustomersPage(
  db: DbOrTx,
  organizationId: string,
  filter: { q?: string },
  options: PageOptions,
): Promise<Page<Customer>> {
  let query = db.selectFrom('customers').selectAll().where('organization_id', '=', organizationId);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('code', 'ilike', pattern), eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]),
    );
  }
  const { after } = options;
  if (after) query = query.where(afterCursor('created_at', 'id', after));
  const rows = await query
    .orderBy(orderKey('created_at'))
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return toPage(rows, options.limit, (row) => row.created_at);
}

export async function listInvoicesPage(
  db: DbOrTx,
  organizationId: string,
  filter: { status?: InvoiceStatus; customerId?: string; dueFrom?: string; dueTo?: string },
  options: PageOptions,
): Promise<Page<Invoice>> {
  let query = db.selectFrom('invoices').selectAll().where('organization_id', '=', organizationId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.dueFrom) query = query.where('due_date', '>=', filter.dueFrom);
  if (filter.dueTo) query = query.where('due_date', '<=', filter.dueTo);
  const { after } = options;
  if (after) query = query.where(afterCursor('created_at', 'id', after));
  const rows = await query
    .orderBy(orderKey('created_at'))
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return toPage(rows, options.limit, (row) => row.created_at);
}

export async function listDisputesPage(
  db: DbOrTx,
  organizationId: string,
  filter: { status?: Dispute['status']; invoiceId?: string },
  options: PageOptions,
): Promise<Page<Dispute>> {
  let query = db.selectFrom('disputes').selectAll().where('organization_id', '=', organizationId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.invoiceId) query = query.where('invoice_id', '=', filter.invoiceId);
  const { after } = options;
  if (after) query = query.where(afterCursor('opened_at', 'id', after));
  const rows = await query
    .orderBy(orderKey('opened_at'))
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return toPage(rows, options.limit, (row) => row.opened_at);
}

export async function listPromisesToPayPage(
  db: DbOrTx,
  organizationId: string,
  filter: { status?: PromiseToPay['status']; invoiceId?: string },
  options: PageOptions,
): Promise<Page<PromiseToPay>> {
  let query = db.selectFrom('promises_to_pay').selectAll().where('organization_id', '=', organizationId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.invoiceId) query = query.where('invoice_id', '=', filter.invoiceId);
  const { after } = options;
  if (after) query = query.where(afterCursor('created_at', 'id', after));
  const rows = await query
    .orderBy(orderKey('created_at'))
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return toPage(rows, options.limit, (row) => row.created_at);
}

export async function listTemplatesPage(
  db: DbOrTx,
  organizationId: string,
  filter: { key?: string; locale?: string },
  options: PageOptions,
): Promise<Page<Template>> {
  let query = db.selectFrom('templates').selectAll().where('organization_id', '=', organizationId);
  if (filter.key) query = query.where('key', '=', filter.key);
  if (filter.locale) query = query.where('locale', '=', filter.locale);
  const { after } = options;
  if (after) query = query.where(afterCursor('created_at', 'id', after));
  const rows = await query
    .orderBy(orderKey('created_at'))
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  return toPage(rows, options.limit, (row) => row.created_at);
}

/** Policies with their steps (one query for all the page's steps). */
export async function listReminderPoliciesPage(
  db: DbOrTx,
  organizationId: string,
  options: PageOptions,
): Promise<Page<ReminderPolicyWithSteps>> {
  let query = db.selectFrom('reminder_policies').selectAll().where('organization_id', '=', organizationId);
  const { after } = options;
  if (after) query = query.where(afterCursor('created_at', 'id', after));
  const rows = await query
    .orderBy(orderKey('created_at'))
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
  const page = toPage(rows, options.limit, (row) => row.created_at);
  const ids = page.rows.map((row) => row.id);
  const steps =
    ids.length === 0
      ? []
      : await db
          .selectFrom('reminder_policy_steps')
          .selectAll()
          .where('organization_id', '=', organizationId)
          .where('policy_id', 'in', ids)
          .orderBy('position')
          .execute();
  return {
    rows: page.rows.map((row) => ({ ...row, steps: steps.filter((step) => step.policy_id === row.id) })),
    next: page.next,
  };
}
