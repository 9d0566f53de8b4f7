import type { StepOutcome } from './contract';

/** The contract of the one-message delivery workflow (re-sends, fresh portal links). */

/** One delivery workflow per stored message: starting it twice delivers once. */
export function messageWorkflowId(communicationId: string): string {
  return `message-${communicationId}`;
}

export interface DeliverMessageInput {
  communicationId: string;
  /** epoch ms: wait until then (the customer's send window) before delivering. */
  notBefore?: number;
}

/** Implemented by the worker next to the reminder activities. */
export interface MessageActivities {
  /**
   * Sends a stored message through its channel's provider (the communication's idempotency key goes to
   * the provider) and marks it sent or failed. A message already sent or failed is not sent again.
   */
  deliverMessage(input: DeliverMessageInput): Promise<StepOutcome>;
}
