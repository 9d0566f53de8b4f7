import { proxyActivities } from '@temporalio/workflow';
import type { InvoiceWorkflowSweepReport, SweepActivities } from './sweep-contract';

// A sweep pages through every open invoice and heartbeats per page; a lost worker is noticed within
// the heartbeat timeout and the sweep runs again from the start (starting a workflow twice is harmless).
const { reconcileInvoiceWorkflows } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '1 minute', maximumAttempts: 3 },
});

/** Started by the invoice workflow sweep schedule (and once at worker start-up). */
export async function reconcileInvoiceWorkflowsWorkflow(
  _input: Record<string, never> = {},
): Promise<InvoiceWorkflowSweepReport> {
  return reconcileInvoiceWorkflows({});
}
