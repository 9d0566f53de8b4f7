import { type Db, listUnappliedWebhookEventsPage, type PageCursor } from '@settle/db';
import { paymentEventWorkflowId } from '@settle/workflows';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { forEachConcurrently } from '../for-each-concurrently';

/**
 * Where an event's payment event workflow stands: `none` (never started) and the ended states can be re-run.
 */
export type PaymentEventWorkflowState =
  | 'running'
  | 'completed'
  | 'failed'
  | 'terminated'
  | 'timed_out'
  | 'cancelled'
  | 'none'
  | 'unknown';

export interface UnappliedPaymentEvent {
  id: string;
  provider: 'stripe' | 'gocardless';
  eventId: string;
  type: string;
  receivedAt: Date;
  /** Why the last attempt did not apply it (null: no attempt has run). */
  error: string | null;
  workflowId: string;
  workflow: PaymentEventWorkflowState;
  /** True when a re-run can start it now: no run in flight. */
  canRerun: boolean;
}

const WORKFLOW_LOOKUPS_AT_ONCE = 8;
/** A lookup may take this long: the client would otherwise retry an unreachable server for ~20 s. */
const LOOKUP_DEADLINE_MS = 3_000;

async function workflowState(temporal: Client, workflowId: string): Promise<PaymentEventWorkflowState> {
  try {
    const { status } = await temporal.connection.withDeadline(Date.now() + LOOKUP_DEADLINE_MS, () =>
      temporal.workflow.getHandle(workflowId).describe(),
    );
    switch (status.name) {
      case 'RUNNING':
        return 'running';
      case 'COMPLETED':
      case 'CONTINUED_AS_NEW':
        return 'completed';
      case 'FAILED':
        return 'failed';
      case 'TERMINATED':
        return 'terminated';
      case 'TIMED_OUT':
        return 'timed_out';
      case 'CANCELLED':
        return 'cancelled';
      default:
        return 'unknown';
    }
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'none';
    // Temporal unreachable: the list still shows what the database knows.
    return 'unknown';
  }
}

/**
 * An organization's provider events not applied `olderThanMinutes` after they arrived (configured by
 * PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES), oldest first, one keyset page, each with where its workflow
 * stands. A normal event is applied within a second; one listed here waits for a payment that has not
 * arrived, failed, or was never started (Temporal was down), and finance can re-run it.
 */
export async function listUnappliedPaymentEvents(
  deps: { db: Db; temporal: Client },
  input: { organizationId: string; olderThanMinutes: number; limit: number; after?: PageCursor; now?: Date },
): Promise<{ rows: UnappliedPaymentEvent[]; next: PageCursor | null }> {
  const now = input.now ?? new Date();
  const page = await listUnappliedWebhookEventsPage(deps.db, input.organizationId, {
    receivedBefore: new Date(now.getTime() - input.olderThanMinutes * 60_000),
    limit: input.limit,
    ...(input.after ? { after: input.after } : {}),
  });
  const rows = page.rows.map(
    (row): UnappliedPaymentEvent => ({
      id: row.id,
      provider: row.provider,
      eventId: row.event_id,
      type: row.type,
      receivedAt: row.received_at,
      error: row.error,
      workflowId: paymentEventWorkflowId(row.provider, row.event_id),
      workflow: 'unknown',
      canRerun: false,
    }),
  );
  await forEachConcurrently(rows, WORKFLOW_LOOKUPS_AT_ONCE, async (row) => {
    row.workflow = await workflowState(deps.temporal, row.workflowId);
    row.canRerun = row.workflow !== 'running';
  });
  return { rows, next: page.next };
}
