import { type Db, findOrganizationOfPaymentRefs, noteWebhookEventNotApplied } from '@settle/db';
import { isUuid } from '@settle/domain';
import type { PaymentEventCommand } from './payment-event-command';

/**
 * Attributes a stored provider event not yet applied to the organization whose payment or payment
 * attempt it names, and keeps why an attempt to apply it failed, so that organization's finance staff
 * see it in the list of events not applied (an event is otherwise attributed only once applied). The
 * webhook path calls this when it stores an event, the apply activity when an attempt fails. An event
 * that names nothing known (a payload we cannot read, a payment no organization has) stays
 * unattributed: it is listed for no organization, and the worker's log names it.
 */
export async function attributePaymentEvent(
  db: Db,
  input: {
    webhookEventId: string;
    provider: 'stripe' | 'gocardless';
    /** The event's commands; empty when its payload could not be read. */
    commands: PaymentEventCommand[];
    /** Why the last attempt did not apply it. */
    error?: string;
  },
): Promise<{ organizationId: string | null }> {
  const refs = {
    provider: input.provider,
    attemptIds: [] as string[],
    attemptReferences: [] as string[],
    providerPaymentIds: [] as string[],
  };
  for (const command of input.commands) {
    if ('providerPaymentId' in command) refs.providerPaymentIds.push(command.providerPaymentId);
    const attempt = 'attempt' in command ? command.attempt : null;
    if (attempt && 'id' in attempt && isUuid(attempt.id)) refs.attemptIds.push(attempt.id);
    if (attempt && 'providerReference' in attempt) refs.attemptReferences.push(attempt.providerReference);
  }
  const organizationId = await findOrganizationOfPaymentRefs(db, refs);
  if (organizationId === null && input.error === undefined) return { organizationId };
  await noteWebhookEventNotApplied(db, input.webhookEventId, {
    organizationId,
    // Bounded: a stack trace or a long provider message is not what finance needs to read.
    ...(input.error !== undefined ? { error: input.error.slice(0, 1000) } : {}),
  });
  return { organizationId };
}
