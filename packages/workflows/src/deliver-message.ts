import { proxyActivities, sleep } from '@temporalio/workflow';
import type { StepOutcome } from './contract';
import type { DeliverMessageInput, MessageActivities } from './message-delivery';

const { deliverMessage } = proxyActivities<MessageActivities>({
  startToCloseTimeout: '1 minute',
  // Transient provider failures retry with backoff under the same idempotency key; a provider's
  // final "no" is recorded on the message and returned, not retried.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Delivers one prepared message (`communications` row, status pending) exactly once. */
export async function deliverMessageWorkflow(input: DeliverMessageInput): Promise<StepOutcome> {
  if (input.notBefore !== undefined && input.notBefore > Date.now())
    await sleep(input.notBefore - Date.now());
  return deliverMessage({ communicationId: input.communicationId });
}
