import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TASK_QUEUE } from './contract';
import type { deliverMessageWorkflow } from './deliver-message';
import { messageWorkflowId } from './message-delivery';

/** Starts the delivery of a stored message. Starting it again (a retried request) is harmless. */
export async function startMessageDelivery(
  client: Client,
  communicationId: string,
  options: { taskQueue?: string | undefined } = {},
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = messageWorkflowId(communicationId);
  try {
    await client.workflow.start<typeof deliverMessageWorkflow>('deliverMessageWorkflow', {
      workflowId,
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      args: [{ communicationId }],
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}
