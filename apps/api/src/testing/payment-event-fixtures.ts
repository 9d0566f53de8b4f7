import { randomUUID } from 'node:crypto';
import type { ApiHarness, TestTenant } from './api-harness';

/** A stored provider event of a tenant that no workflow has applied, received `minutesAgo` ago. */
export async function storedEvent(
  harness: ApiHarness,
  tenant: TestTenant,
  options: { minutesAgo: number; processed?: boolean; error?: string },
) {
  const eventId = `evt_${randomUUID().replaceAll('-', '')}`;
  const receivedAt = new Date(Date.now() - options.minutesAgo * 60_000);
  return harness.db
    .insertInto('webhook_events')
    .values({
      provider: 'stripe',
      event_id: eventId,
      type: 'checkout.session.completed',
      organization_id: tenant.organization.id,
      payload: JSON.stringify({ id: eventId, type: 'checkout.session.completed', data: { object: {} } }),
      received_at: receivedAt,
      processed_at: options.processed ? receivedAt : null,
      error: options.error ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
