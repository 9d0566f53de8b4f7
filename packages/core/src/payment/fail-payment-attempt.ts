import type { PaymentEventCommand } from './payment-event-command';
import { type ApplyContext, findAttempt, setAttemptStatus } from './payment-event-context';

/** A checkout that never produced a payment failed: its attempt is closed as failed. */
export async function failPaymentAttempt(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'attempt_failed' }>,
): Promise<void> {
  const attempt = await findAttempt(context.tx, command.provider, command.attempt, { lock: true });
  if (!attempt) return;
  context.organizationId = attempt.organization_id;
  await setAttemptStatus(context.tx, attempt.id, 'failed', context.now);
}
