import type { DbOrTx } from '../client';
import type { WebhookEvent } from '../schema';

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
