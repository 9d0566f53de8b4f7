import { sql } from 'kysely';
import type { DbOrTx } from '../client';
import type { WebhookEvent } from '../schema';
import type { Page, PageCursor } from './pages';

/** Stores a provider event once; a duplicate delivery returns the first row with `isNew: false`. */
export async function insertWebhookEventOnce(
  db: DbOrTx,
  values: { provider: 'stripe' | 'gocardless'; eventId: string; type: string; payload: unknown },
): Promise<{ event: WebhookEvent; isNew: boolean }> {
  const inserted = await db
    .insertInto('webhook_events')
    .values({
      provider: values.provider,
      event_id: values.eventId,
      type: values.type,
      payload: JSON.stringify(values.payload),
    })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { event: inserted, isNew: true };
  const existing = await db
    .selectFrom('webhook_events')
    .selectAll()
    .where('provider', '=', values.provider)
    .where('event_id', '=', values.eventId)
    .executeTakeFirstOrThrow();
  return { event: existing, isNew: false };
}

export async function markWebhookEventProcessed(
  db: DbOrTx,
  id: string,
  result: { organizationId: string | null; at: Date; error?: string },
): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({ processed_at: result.at, organization_id: result.organizationId, error: result.error ?? null })
    .where('id', '=', id)
    .execute();
}

/**
 * Keeps why a stored event was not applied (yet) and, once known, which organization it belongs to:
 * an event is attributed to an organization only when it is applied or when the payment or attempt
 * it names is found, so this is what lets finance of that organization see it while it waits.
 */
export async function noteWebhookEventNotApplied(
  db: DbOrTx,
  id: string,
  note: { error?: string; organizationId: string | null },
): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({
      ...(note.error !== undefined ? { error: note.error } : {}),
      organization_id: sql<string | null>`coalesce(organization_id, ${note.organizationId}::uuid)`,
    })
    .where('id', '=', id)
    .where('processed_at', 'is', null)
    .execute();
}

/** The organization a payment event belongs to, from the attempts and payments it names (null: none known). */
export async function findOrganizationOfPaymentRefs(
  db: DbOrTx,
  refs: {
    provider: 'stripe' | 'gocardless';
    attemptIds: string[];
    attemptReferences: string[];
    providerPaymentIds: string[];
  },
): Promise<string | null> {
  const queries = [];
  if (refs.attemptIds.length > 0 || refs.attemptReferences.length > 0) {
    queries.push(
      db
        .selectFrom('payment_attempts')
        .select('organization_id')
        // The local test checkout stands in for both providers.
        .where('provider', 'in', [refs.provider, 'local'])
        .where((eb) =>
          eb.or([
            ...(refs.attemptIds.length > 0 ? [eb('id', 'in', refs.attemptIds)] : []),
            ...(refs.attemptReferences.length > 0
              ? [eb('provider_reference', 'in', refs.attemptReferences)]
              : []),
          ]),
        )
        .limit(1)
        .executeTakeFirst(),
    );
  }
  if (refs.providerPaymentIds.length > 0) {
    queries.push(
      db
        .selectFrom('payments')
        .select('organization_id')
        .where('provider', '=', refs.provider)
        .where('provider_payment_id', 'in', refs.providerPaymentIds)
        .limit(1)
        .executeTakeFirst(),
    );
  }
  for (const row of await Promise.all(queries)) if (row) return row.organization_id;
  return null;
}

export interface UnappliedWebhookEventRow {
  id: string;
  provider: 'stripe' | 'gocardless';
  event_id: string;
  type: string;
  received_at: Date;
  error: string | null;
}

/**
 * An organization's stored provider events not applied and received before `receivedBefore`, oldest
 * first, one keyset page (`after`: the last row's received_at and id).
 */
export async function listUnappliedWebhookEventsPage(
  db: DbOrTx,
  organizationId: string,
  options: { receivedBefore: Date; limit: number; after?: PageCursor },
): Promise<Page<UnappliedWebhookEventRow>> {
  let query = db
    .selectFrom('webhook_events')
    .select(['id', 'provider', 'event_id', 'type', 'received_at', 'error'])
    .where('organization_id', '=', organizationId)
    .where('processed_at', 'is', null)
    .where('received_at', '<', options.receivedBefore)
    // Millisecond precision, as the cursor carries it (see pages.ts).
    .orderBy(sql`date_trunc('milliseconds', received_at)`)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after) {
    const after = options.after;
    query = query.where(
      sql<boolean>`(date_trunc('milliseconds', received_at), id) > (${after.at}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > options.limit && last ? { at: last.received_at.toISOString(), id: last.id } : null,
  };
}

/** One stored provider event of an organization (an event not attributed to it is not found). */
export async function getOrganizationWebhookEvent(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<WebhookEvent | undefined> {
  return db
    .selectFrom('webhook_events')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
