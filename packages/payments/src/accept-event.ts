import { type Db, insertWebhookEventOnce } from '@settle/db';
import { paymentEventWorkflowId, startPaymentEvent } from '@settle/workflows';
import type { Client } from '@temporalio/client';

export interface AcceptEventDeps {
  db: Db;
  temporal: Client;
  taskQueue?: string;
}

const START_DEADLINE_MS = 5_000;

export interface ProviderEvent {
  provider: 'stripe' | 'gocardless';
  eventId: string;
  type: string;
  payload: unknown;
}

/**
 * Stores a verified provider event once and starts its payment event workflow. Returns only after the
 * workflow is durably started, so a 2xx to the provider means nothing can be lost; if Temporal is
 * unreachable this throws and the provider retries. A duplicate delivery changes nothing.
 */
export async function acceptPaymentEvent(
  deps: AcceptEventDeps,
  event: ProviderEvent,
): Promise<{ outcome: 'accepted' | 'duplicate'; workflowId: string }> {
  const workflowId = paymentEventWorkflowId(event.provider, event.eventId);
  const { event: stored } = await insertWebhookEventOnce(deps.db, {
    provider: event.provider,
    eventId: event.eventId,
    type: event.type,
    payload: event.payload,
  });
  if (stored.processed_at) return { outcome: 'duplicate', workflowId };
  // Bounded: a provider waits ~10 s for an answer; better a quick 5xx (and its retry) than a timeout.
  // A run in flight or completed is a duplicate; one that ended without applying the event is run again.
  const { started } = await deps.temporal.withDeadline(Date.now() + START_DEADLINE_MS, () =>
    startPaymentEvent(deps.temporal, {
      provider: event.provider,
      eventId: event.eventId,
      webhookEventId: stored.id,
      ...(deps.taskQueue ? { taskQueue: deps.taskQueue } : {}),
    }),
  );
  return { outcome: started ? 'accepted' : 'duplicate', workflowId };
}
