import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { invoiceWorkflowId, TASK_QUEUE } from './contract';
import type { invoiceReminderWorkflow } from './invoice-reminders';

/** Starts an invoice's reminder workflow. Starting it again while it runs is harmless. */
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
