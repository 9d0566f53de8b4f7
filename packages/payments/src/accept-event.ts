import { type Db, insertWebhookEventOnce } from '@settle/db';
import { paymentEventWorkflowId, TASK_QUEUE } from '@settle/workflows';
import type { paymentEventWorkflow } from '@settle/workflows/workflows';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';

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
  try {
    // Bounded: a provider waits ~10 s for an answer; better a quick 5xx (and its retry) than a timeout.
    await deps.temporal.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      deps.temporal.workflow.start<typeof paymentEventWorkflow>('paymentEventWorkflow', {
        workflowId,
        taskQueue: deps.taskQueue ?? TASK_QUEUE,
        args: [{ webhookEventId: stored.id }],
        // One run per provider event, ever: a redelivery after completion must not apply it again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    );
    return { outcome: 'accepted', workflowId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'duplicate', workflowId };
    throw error;
  }
}
