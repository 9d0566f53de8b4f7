import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { invoiceWorkflowId, TASK_QUEUE } from './contract';
import type { invoiceReminderWorkflow } from './invoice-reminders';
import { paymentEventWorkflowId } from './payment-contract';
import type { paymentEventWorkflow } from './payment-events';
import type { reconcileInvoiceWorkflowsWorkflow } from './reconcile-sweep';
import { INVOICE_WORKFLOW_SWEEP_SCHEDULE_ID } from './sweep-contract';

/**
 * Starts an invoice's reminder workflow. Starting it again while it runs is harmless (`started:
 * false`); a run that has ended, however it ended, may be followed by a new one, so the sweep can
 * restart an open invoice whose workflow completed, failed or was terminated.
 */
export async function startInvoiceReminders(
  client: Client,
  invoiceId: string,
  options: { taskQueue?: string } = {},
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = invoiceWorkflowId(invoiceId);
  try {
    await client.workflow.start<typeof invoiceReminderWorkflow>('invoiceReminderWorkflow', {
      workflowId,
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      args: [{ invoiceId }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}

/**
 * Signals an invoice's workflow, starting a new run if the last one has ended (a reversed payment
 * must restart dunning for an invoice whose workflow completed as paid).
 */
export async function signalInvoiceReminders<Args extends unknown[]>(
  client: Client,
  invoiceId: string,
  signal: SignalDefinition<Args>,
  args: Args,
  options: { taskQueue?: string; startIfEnded?: boolean } = {},
): Promise<void> {
  const workflowId = invoiceWorkflowId(invoiceId);
  if (options.startIfEnded) {
    await client.workflow.signalWithStart<typeof invoiceReminderWorkflow, unknown[]>(
      'invoiceReminderWorkflow',
      {
        workflowId,
        taskQueue: options.taskQueue ?? TASK_QUEUE,
        args: [{ invoiceId }],
        signal: signal.name,
        signalArgs: args,
      },
    );
    return;
  }
  try {
    await client.workflow.getHandle(workflowId).signal(signal, ...args);
  } catch (error) {
    // No running workflow means nothing to stop or pause; the database already holds the change.
    if (error instanceof WorkflowNotFoundError) return;
    throw error;
  }
}

/**
 * Starts the payment event workflow of a stored provider event. A run in flight is never started
 * twice (`started: false`), and neither is one that completed (it applied the event); a run that
 * failed, timed out, was cancelled or terminated before applying it may be followed by a new one, so
 * a redelivery, reconciliation or finance's re-run applies the event after all.
 */
export async function startPaymentEvent(
  client: Client,
  input: { provider: 'stripe' | 'gocardless'; eventId: string; webhookEventId: string; taskQueue?: string },
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = paymentEventWorkflowId(input.provider, input.eventId);
  try {
    await client.workflow.start<typeof paymentEventWorkflow>('paymentEventWorkflow', {
      workflowId,
      taskQueue: input.taskQueue ?? TASK_QUEUE,
      args: [{ webhookEventId: input.webhookEventId }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}

/**
 * Creates the invoice workflow sweep schedule, or brings an existing one to `everyMinutes` (so a
 * changed setting applies on the next worker start). Overlap SKIP: a sweep still running when the
 * next is due is not doubled. Any number of workers may call this at once.
 */
export async function ensureInvoiceWorkflowSweepSchedule(
  client: Client,
  options: { taskQueue?: string; everyMinutes?: number } = {},
): Promise<'created' | 'updated'> {
  const spec = { intervals: [{ every: `${options.everyMinutes ?? 5} minutes` as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'reconcileInvoiceWorkflowsWorkflow',
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    args: [{}] as Parameters<typeof reconcileInvoiceWorkflowsWorkflow>,
  };
  try {
    await client.schedule.create({
      scheduleId: INVOICE_WORKFLOW_SWEEP_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(INVOICE_WORKFLOW_SWEEP_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}

/** Runs the invoice workflow sweep now (unless one is running), e.g. once when a worker starts. */
export async function triggerInvoiceWorkflowSweep(client: Client): Promise<void> {
  await client.schedule.getHandle(INVOICE_WORKFLOW_SWEEP_SCHEDULE_ID).trigger(ScheduleOverlapPolicy.SKIP);
}
