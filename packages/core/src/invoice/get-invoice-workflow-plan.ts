import { type InvoiceWorkflowState, invoiceWorkflowId, stateQuery } from '@settle/workflows';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';

export type InvoiceWorkflowPlan =
  | { running: true; state: Omit<InvoiceWorkflowState, 'history'>; history: InvoiceWorkflowState['history'] }
  | { running: false; reason: 'not_started' | 'ended'; status?: string }
  | { running: null; reason: 'unavailable' };

/**
 * What the invoice's reminder workflow plans next (its state query), or that it is not running. A
 * console page must render while Temporal is down, so this never throws: it answers "unavailable".
 */
export async function getInvoiceWorkflowPlan(
  deps: { temporal: Client },
  input: { invoiceId: string; timeoutMs?: number },
): Promise<InvoiceWorkflowPlan> {
  const handle = deps.temporal.workflow.getHandle(invoiceWorkflowId(input.invoiceId));
  const attempt = async (): Promise<InvoiceWorkflowPlan> => {
    try {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') {
        return { running: false, reason: 'ended', status: description.status.name };
      }
      const { history, ...state } = await handle.query(stateQuery);
      return { running: true, state, history };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { running: false, reason: 'not_started' };
      return { running: null, reason: 'unavailable' };
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<InvoiceWorkflowPlan>((resolve) => {
    timer = setTimeout(() => resolve({ running: null, reason: 'unavailable' }), input.timeoutMs ?? 3000);
  });
  try {
    return await Promise.race([attempt(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
