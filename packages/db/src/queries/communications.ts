import { sql } from 'kysely';
import type { DbOrTx } from '../client';
import type { Communication, NewCommunication, NewTask, Task } from '../schema';

/**
 * Another message already holds the customer's channel slot of that day (pending or sent): the
 * unique key behind "one reminder per customer, channel and day" refused this one.
 */
export class DaySlotTakenError extends Error {
  override name = 'DaySlotTakenError';
}

/**
 * Records a message before it is sent, keyed by its idempotency key. A retried activity finds the
 * existing row (and its status) instead of creating a second message. A reminder's message that
 * names a day slot another message holds is not recorded: `DaySlotTakenError`.
 */
export async function insertCommunicationOnce(
  db: DbOrTx,
  values: NewCommunication,
  invoiceIds: string[],
): Promise<{ communication: Communication; isNew: boolean }> {
  const inserted = await db
    .insertInto('communications')
    .values(values)
    // Either key: the idempotency key (a retry) or the customer's day slot (another invoice's message).
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    if (invoiceIds.length > 0) {
      await db
        .insertInto('communication_invoices')
        .values(
          invoiceIds.map((invoiceId) => ({
            communication_id: inserted.id,
            invoice_id: invoiceId,
            organization_id: inserted.organization_id,
          })),
        )
        .execute();
    }
    return { communication: inserted, isNew: true };
  }
  const existing = await db
    .selectFrom('communications')
    .selectAll()
    .where('organization_id', '=', values.organization_id)
    .where('idempotency_key', '=', values.idempotency_key)
    .executeTakeFirst();
  if (!existing) {
    throw new DaySlotTakenError(
      `customer ${values.customer_id} already has a ${values.day_slot} message on ${values.slot_date}`,
    );
  }
  return { communication: existing, isNew: false };
}

export async function markCommunicationSent(
  db: DbOrTx,
  id: string,
  result: { providerMessageId: string | null; sentAt: Date },
): Promise<void> {
  await db
    .updateTable('communications')
    .set({
      status: 'sent',
      provider_message_id: result.providerMessageId,
      sent_at: result.sentAt,
      error: null,
    })
    .where('id', '=', id)
    .execute();
}

/** What {@link startCommunicationSend} found before this attempt. */
export type CommunicationSendStart =
  /** No attempt began before: nothing can have reached the provider. */
  | { kind: 'first' }
  /** An earlier attempt began and never recorded an answer: the provider may have the message. */
  | { kind: 'uncertain'; previousStartedAt: Date }
  /** An earlier attempt began less than the provider timeout ago and may still be waiting for its answer. */
  | { kind: 'in-flight'; previousStartedAt: Date }
  /** The message is no longer pending (sent, failed or cancelled meanwhile). */
  | { kind: 'not-pending' };

/**
 * Records, in its own statement (committed before the provider call when `db` is not a
 * transaction), that an attempt to hand a pending message to its provider begins now, and says what
 * an earlier attempt left. Times are the database's clock, so workers with skewed clocks agree; an
 * attempt that finds another in flight records nothing.
 */
export async function startCommunicationSend(
  db: DbOrTx,
  id: string,
  options: { inFlightForMs: number },
): Promise<CommunicationSendStart> {
  const result = await sql<{ previous: Date | null; claimed: boolean; status: string }>`
    WITH current AS (
      SELECT id, status, sending_started_at AS previous,
        status = 'pending' AND (
          sending_started_at IS NULL
          OR sending_started_at <= now() - ${options.inFlightForMs} * interval '1 millisecond'
        ) AS claimable
      FROM communications WHERE id = ${id} FOR UPDATE
    ), claimed AS (
      UPDATE communications c SET sending_started_at = now()
      FROM current WHERE c.id = current.id AND current.claimable
      RETURNING c.id
    )
    SELECT current.previous, current.status, EXISTS (SELECT 1 FROM claimed) AS claimed FROM current
  `.execute(db);
  const row = result.rows[0];
  if (row?.status !== 'pending') return { kind: 'not-pending' };
  if (!row.claimed && row.previous) return { kind: 'in-flight', previousStartedAt: row.previous };
  return row.previous ? { kind: 'uncertain', previousStartedAt: row.previous } : { kind: 'first' };
}

/**
 * The provider answered an attempt with an error (it did not take the message): the message is no
 * longer "maybe sent", so it may be withdrawn, and a retry need not look it up first.
 */
export async function endCommunicationSend(db: DbOrTx, id: string): Promise<void> {
  await db
    .updateTable('communications')
    .set({ sending_started_at: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export async function markCommunicationFailed(db: DbOrTx, id: string, error: string): Promise<void> {
  await db.updateTable('communications').set({ status: 'failed', error }).where('id', '=', id).execute();
}

export async function listInvoiceCommunications(
  db: DbOrTx,
  organizationId: string,
  invoiceId: string,
): Promise<Communication[]> {
  return db
    .selectFrom('communications')
    .innerJoin('communication_invoices as ci', 'ci.communication_id', 'communications.id')
    .selectAll('communications')
    .where('communications.organization_id', '=', organizationId)
    .where('ci.invoice_id', '=', invoiceId)
    .orderBy('communications.created_at')
    .execute();
}

export async function listOutbox(db: DbOrTx, organizationId: string, limit = 200): Promise<Communication[]> {
  return db
    .selectFrom('communications')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Creates a task for finance once per idempotency key. */
export async function insertTaskOnce(db: DbOrTx, values: NewTask): Promise<Task> {
  const inserted = await db
    .insertInto('tasks')
    .values(values)
    .onConflict((oc) => oc.columns(['organization_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('organization_id', '=', values.organization_id)
    .where('idempotency_key', '=', values.idempotency_key)
    .executeTakeFirstOrThrow();
}

export async function listOpenTasks(db: DbOrTx, organizationId: string): Promise<Task[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .execute();
}

/** One message by id. */
export function getCommunication(db: DbOrTx, id: string): Promise<Communication | undefined> {
  return db.selectFrom('communications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The provider a message goes out through, when the configured one changed since it was recorded. */
export async function setCommunicationProvider(
  db: DbOrTx,
  id: string,
  provider: Communication['provider'],
): Promise<void> {
  await db.updateTable('communications').set({ provider }).where('id', '=', id).execute();
}

/** The outbox with what the console shows beside each message: the customer's name and an invoice it lists. */
export async function listOutboxWithCustomers(
  db: DbOrTx,
  organizationId: string,
  limit = 200,
): Promise<(Communication & { customer_name: string; invoice_id: string | null })[]> {
  const [messages, customers, links] = await Promise.all([
    listOutbox(db, organizationId, limit),
    db.selectFrom('customers').select(['id', 'name']).where('organization_id', '=', organizationId).execute(),
    db
      .selectFrom('communication_invoices')
      .select(['communication_id', 'invoice_id'])
      .where('organization_id', '=', organizationId)
      .execute(),
  ]);
  const names = new Map(customers.map((c) => [c.id, c.name]));
  const invoiceOf = new Map(links.map((l) => [l.communication_id, l.invoice_id]));
  return messages.map((m) => ({
    ...m,
    customer_name: names.get(m.customer_id) ?? '',
    invoice_id: invoiceOf.get(m.id) ?? null,
  }));
}
