import { sql } from 'kysely';
import type { DbOrTx } from '../client';
import type { Communication, Customer, Invoice } from '../schema';
import { lockInvoiceWithCustomer } from './invoices';

/** Why a reminder is held back, as recorded in the database (the workflow's holds mirror these). */
export type InvoiceHold = 'dispute' | 'payment_pending' | 'promise' | 'finance';

/**
 * Locks the invoice's customer, then the invoice, for the rest of the transaction. Sends are
 * serialized per customer (two invoices' steps on one day cannot both create a message), and the
 * invoice lock orders the send after any payment being written right now. Always customer first,
 * then invoice, as every transaction on an invoice does (docs/decisions/0008-row-lock-order.md); the
 * customer lock is FOR NO KEY UPDATE, so rows that merely reference the customer (a payment, a
 * promise, a new invoice) are not blocked by a send, and no send can deadlock with them.
 */
export async function lockCustomerAndInvoice(
  tx: DbOrTx,
  invoiceId: string,
): Promise<{ customer: Customer; invoice: Invoice } | null> {
  return lockInvoiceWithCustomer(tx, invoiceId);
}

/** The holds the database records for an invoice, and the day of its active promise to pay. */
export async function getInvoiceHolds(
  db: DbOrTx,
  invoice: Pick<Invoice, 'id' | 'payment_pending' | 'paused_at'>,
): Promise<{ holds: InvoiceHold[]; promisedDate: string | null }> {
  const [dispute, promise] = await Promise.all([
    db
      .selectFrom('disputes')
      .select('id')
      .where('invoice_id', '=', invoice.id)
      .where('status', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('promises_to_pay')
      .select('promised_date')
      .where('invoice_id', '=', invoice.id)
      .where('status', '=', 'active')
      .executeTakeFirst(),
  ]);
  const holds: InvoiceHold[] = [];
  if (dispute) holds.push('dispute');
  if (invoice.payment_pending) holds.push('payment_pending');
  if (invoice.paused_at) holds.push('finance');
  if (promise) holds.push('promise');
  return { holds, promisedDate: promise?.promised_date ?? null };
}

/** A customer's open invoices (the statement's total overdue, same-day companions). */
export function listOpenInvoicesOfCustomer(
  db: DbOrTx,
  organizationId: string,
  customerId: string,
): Promise<Invoice[]> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'open')
    .orderBy('due_date')
    .orderBy('number')
    .execute();
}

/** A message by its idempotency key, if it was recorded. */
export function findCommunicationByKey(
  db: DbOrTx,
  organizationId: string,
  idempotencyKey: string,
): Promise<Communication | undefined> {
  return db
    .selectFrom('communications')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

/**
 * Messages to a customer on the given channels, created since `since`, that list the invoice: the
 * candidates for "already reminded today" (the caller reads the day in the customer's zone).
 */
export function listMessagesCoveringInvoice(
  db: DbOrTx,
  options: {
    organizationId: string;
    customerId: string;
    invoiceId: string;
    channels: readonly Communication['channel'][];
    since: Date;
  },
): Promise<Pick<Communication, 'id' | 'status' | 'channel' | 'created_at' | 'idempotency_key'>[]> {
  return db
    .selectFrom('communications as c')
    .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
    .select(['c.id', 'c.status', 'c.channel', 'c.created_at', 'c.idempotency_key'])
    .where('c.organization_id', '=', options.organizationId)
    .where('c.customer_id', '=', options.customerId)
    .where('c.channel', 'in', [...options.channels])
    .where('ci.invoice_id', '=', options.invoiceId)
    .where('c.created_at', '>=', options.since)
    .orderBy('c.created_at')
    .execute();
}

/**
 * Cancels the message an earlier attempt recorded under this key, if it is still pending and no send
 * of it has begun (one that began may have reached the provider: it is finished, not cancelled).
 */
export async function cancelUnsentCommunicationByKey(
  db: DbOrTx,
  idempotencyKey: string,
  reason: string,
): Promise<void> {
  await db
    .updateTable('communications')
    .set({ status: 'cancelled', error: reason })
    .where('idempotency_key', '=', idempotencyKey)
    .where('status', '=', 'pending')
    .where('sending_started_at', 'is', null)
    .execute();
}

/**
 * A message recorded for a step that was then skipped (paid before delivery) will never be sent:
 * marked cancelled, so it covers no other invoice and the outbox tells the truth. Only a pending
 * message whose send has not begun is cancelled (one that began may be at the provider); says
 * whether it was.
 */
export async function cancelUnsentCommunication(db: DbOrTx, id: string, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('communications')
    .set({ status: 'cancelled', error: reason })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('sending_started_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * When the invoice's sequence last reached the debtor before `before` (the start of the step's own
 * day, so the e-mail that goes out beside a call on the same morning is not "the previous step"):
 * the newest message listing it that was sent or is on its way, or the newest call task about it.
 */
export async function lastReminderAt(
  db: DbOrTx,
  options: { invoiceId: string; before: Date },
): Promise<Date | null> {
  const [message, call] = await Promise.all([
    db
      .selectFrom('communications as c')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select((eb) => eb.fn.max('c.created_at').as('at'))
      .where('ci.invoice_id', '=', options.invoiceId)
      .where('c.status', 'in', ['sent', 'pending'])
      .where('c.created_at', '<', options.before)
      .executeTakeFirst(),
    db
      .selectFrom('tasks')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('invoice_id', '=', options.invoiceId)
      .where('kind', '=', 'call')
      .where('created_at', '<', options.before)
      .executeTakeFirst(),
  ]);
  const times = [message?.at, call?.at].filter((at): at is Date => at instanceof Date);
  return times.length === 0 ? null : new Date(Math.max(...times.map((at) => at.getTime())));
}

/** Whether any payment (not failed or cancelled) for the invoice was received after `since`. */
export async function hasPaymentSince(db: DbOrTx, invoiceId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('payment_allocations as a')
    .innerJoin('payments as p', 'p.id', 'a.payment_id')
    .select('p.id')
    .where('a.invoice_id', '=', invoiceId)
    .where('p.status', 'not in', ['failed', 'cancelled'])
    .where('p.received_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

/** A customer's message of the last days, with the invoices it lists. */
export interface CustomerRecentMessage {
  id: string;
  status: Communication['status'];
  channel: Communication['channel'];
  created_at: Date;
  idempotency_key: string;
  day_slot: string | null;
  slot_date: string | null;
  invoice_ids: string[];
}

/**
 * What a customer's send decision reads about all the customer's open invoices at once, in a fixed
 * number of statements however many invoices the customer has: the open invoices, their holds, the
 * messages of the last days with the invoices they list, when each invoice was last reminded before
 * `remindedBefore`, and its latest payment. A decision for a customer with 1,200 open invoices reads
 * these in milliseconds, so the transaction that holds the customer's lock stays short.
 */
export async function loadCustomerSendState(
  db: DbOrTx,
  options: {
    organizationId: string;
    customerId: string;
    messagesSince: Date;
    remindedBefore: Date;
    /** Only these of the customer's invoices (the messages are read whole still). */
    invoiceIds?: readonly string[];
  },
): Promise<{
  openInvoices: Invoice[];
  disputedInvoiceIds: Set<string>;
  promisedInvoiceIds: Set<string>;
  recentMessages: CustomerRecentMessage[];
  lastRemindedAt: Map<string, Date>;
  lastPaymentAt: Map<string, Date>;
}> {
  const { organizationId, customerId } = options;
  const only = options.invoiceIds ? [...options.invoiceIds] : null;
  if (only?.length === 0) throw new Error('loadCustomerSendState: invoiceIds must not be empty');
  const [openInvoices, disputes, promises, messages, lastMessages, lastCalls, payments] = await Promise.all([
    only
      ? db
          .selectFrom('invoices')
          .selectAll()
          .where('organization_id', '=', organizationId)
          .where('customer_id', '=', customerId)
          .where('status', '=', 'open')
          .where('id', 'in', only)
          .execute()
      : listOpenInvoicesOfCustomer(db, organizationId, customerId),
    db
      .selectFrom('disputes as d')
      .innerJoin('invoices as i', 'i.id', 'd.invoice_id')
      .select('d.invoice_id')
      .where('i.customer_id', '=', customerId)
      .where('d.status', '=', 'open')
      .$if(only !== null, (qb) => qb.where('d.invoice_id', 'in', only ?? []))
      .execute(),
    db
      .selectFrom('promises_to_pay as p')
      .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
      .select('p.invoice_id')
      .where('i.customer_id', '=', customerId)
      .where('p.status', '=', 'active')
      .$if(only !== null, (qb) => qb.where('p.invoice_id', 'in', only ?? []))
      .execute(),
    db
      .selectFrom('communications as c')
      .leftJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select([
        'c.id',
        'c.status',
        'c.channel',
        'c.created_at',
        'c.idempotency_key',
        'c.day_slot',
        'c.slot_date',
      ])
      .select(
        sql<string[]>`coalesce(array_agg(ci.invoice_id) FILTER (WHERE ci.invoice_id IS NOT NULL), '{}')`.as(
          'invoice_ids',
        ),
      )
      .where('c.organization_id', '=', organizationId)
      .where('c.customer_id', '=', customerId)
      .where('c.created_at', '>=', options.messagesSince)
      .groupBy('c.id')
      .orderBy('c.created_at')
      .execute(),
    db
      .selectFrom('communications as c')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select('ci.invoice_id')
      .select((eb) => eb.fn.max('c.created_at').as('at'))
      .where('c.organization_id', '=', organizationId)
      .where('c.customer_id', '=', customerId)
      .where('c.status', 'in', ['sent', 'pending'])
      .where('c.created_at', '<', options.remindedBefore)
      .$if(only !== null, (qb) => qb.where('ci.invoice_id', 'in', only ?? []))
      .groupBy('ci.invoice_id')
      .execute(),
    db
      .selectFrom('tasks')
      .select('invoice_id')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('organization_id', '=', organizationId)
      .where('customer_id', '=', customerId)
      .where('kind', '=', 'call')
      .where('created_at', '<', options.remindedBefore)
      .$if(only !== null, (qb) => qb.where('invoice_id', 'in', only ?? []))
      .groupBy('invoice_id')
      .execute(),
    db
      .selectFrom('payment_allocations as a')
      .innerJoin('payments as p', 'p.id', 'a.payment_id')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select('a.invoice_id')
      .select((eb) => eb.fn.max('p.received_at').as('at'))
      .where('i.customer_id', '=', customerId)
      .where('p.status', 'not in', ['failed', 'cancelled'])
      .$if(only !== null, (qb) => qb.where('a.invoice_id', 'in', only ?? []))
      .groupBy('a.invoice_id')
      .execute(),
  ]);
  const lastRemindedAt = new Map<string, Date>();
  for (const row of [...lastMessages, ...lastCalls]) {
    if (!row.invoice_id || !(row.at instanceof Date)) continue;
    const known = lastRemindedAt.get(row.invoice_id);
    if (!known || known < row.at) lastRemindedAt.set(row.invoice_id, row.at);
  }
  const lastPaymentAt = new Map<string, Date>();
  for (const row of payments) if (row.at instanceof Date) lastPaymentAt.set(row.invoice_id, row.at);
  return {
    openInvoices,
    disputedInvoiceIds: new Set(disputes.map((row) => row.invoice_id)),
    promisedInvoiceIds: new Set(promises.map((row) => row.invoice_id)),
    recentMessages: messages,
    lastRemindedAt,
    lastPaymentAt,
  };
}
