import { attributePaymentEvent } from '@settle/core';
import { type Db, insertWebhookEventOnce } from '@settle/db';
import { paymentEventWorkflowId, startPaymentEvent } from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { paymentEventCommands } from './provider-events';

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
  if (!stored.organization_id) await attributeToOrganization(deps.db, event, stored.id);
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

/**
 * Before its workflow runs, an event is tied to the organization whose attempt or payment it names,
 * so that organization's finance sees it if it is never applied (its run was terminated, or Temporal
 * could not take it). An unreadable payload is left to the workflow, which fails it with the reason.
 */
async function attributeToOrganization(db: Db, event: ProviderEvent, webhookEventId: string) {
  let commands: ReturnType<typeof paymentEventCommands>;
  try {
    commands = paymentEventCommands(event.provider, event.payload);
  } catch {
    return;
  }
  await attributePaymentEvent(db, { webhookEventId, provider: event.provider, commands });
}
