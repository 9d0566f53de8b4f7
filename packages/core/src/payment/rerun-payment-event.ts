import { type AuditEntry, appendAuditLog, type Db, getOrganizationWebhookEvent } from '@settle/db';
import { paymentEventWorkflowId, startPaymentEvent } from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { AppError } from '../errors';

/** A start may take this long before the re-run answers "unavailable" (a person is waiting). */
const START_DEADLINE_MS = 5_000;

export type RerunPaymentEventOutcome = 'started' | 'already_running' | 'already_applied';

/**
 * Finance's one-click re-run of a provider event that was not applied: starts its payment event
 * workflow again (a run that failed, timed out or was terminated is followed by a new one; one that
 * never started is started). A run in flight is left to finish (`already_running`), and an applied
 * event is never applied twice (`already_applied`), so a double click changes nothing. Another
 * organization's event is NOT_FOUND.
 */
export async function rerunPaymentEvent(
  deps: { db: Db; temporal: Client; taskQueue?: string },
  input: { organizationId: string; webhookEventId: string; actor: AuditEntry['actor'] },
): Promise<{ outcome: RerunPaymentEventOutcome; workflowId: string }> {
  const event = await getOrganizationWebhookEvent(deps.db, input.organizationId, input.webhookEventId);
  if (!event) {
    throw new AppError('NOT_FOUND', `payment event ${input.webhookEventId} not found`, {
      userMessage: 'No such payment event.',
    });
  }
  const workflowId = paymentEventWorkflowId(event.provider, event.event_id);
  let outcome: RerunPaymentEventOutcome = 'already_applied';
  if (!event.processed_at) {
    try {
      const { started } = await deps.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        startPaymentEvent(deps.temporal, {
          provider: event.provider,
          eventId: event.event_id,
          webhookEventId: event.id,
          ...(deps.taskQueue ? { taskQueue: deps.taskQueue } : {}),
        }),
      );
      outcome = started ? 'started' : 'already_running';
    } catch (error) {
      throw new AppError('UNAVAILABLE', `payment event ${event.id} not started: Temporal unreachable`, {
        userMessage:
          'The workflow service cannot be reached just now; nothing was started. Try again shortly.',
        cause: error,
      });
    }
  }
  await appendAuditLog(deps.db, {
    organizationId: input.organizationId,
    actor: input.actor,
    action: 'payment_event.rerun',
    subject: { type: 'webhook_event', id: event.id },
    data: { provider: event.provider, eventId: event.event_id, type: event.type, outcome },
  });
  return { outcome, workflowId };
}
