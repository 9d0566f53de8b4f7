import {
  type DbOrTx,
  getCommunication,
  getOrganization,
  insertTaskOnce,
  markCommunicationFailed,
  markCommunicationSent,
  setCommunicationProvider,
} from '@settle/db';
import type { StepOutcome } from '@settle/workflows';
import type { ReminderDeps, SendResult } from './message-ports';

/**
 * Sends a recorded message (a reminder step's, a notice's or a queued one) through the configured
 * sender with the message's own idempotency key, then marks it sent or failed. Sent is final, so a
 * retried activity is one message at the provider; a rejected one becomes a "message to fix" task
 * for finance. A transient error thrown by a sender fails the attempt and Temporal retries it.
 */
export async function deliverRecordedMessage(
  deps: Pick<ReminderDeps, 'db' | 'email' | 'sms' | 'logger' | 'now'>,
  communicationId: string,
): Promise<StepOutcome> {
  const message = await getCommunication(deps.db, communicationId);
  if (!message) return { status: 'skipped', reason: 'message not found' };
  if (message.status === 'sent') return { status: 'sent', communicationId };
  if (message.status === 'cancelled')
    return { status: 'skipped', reason: message.error ?? 'message cancelled' };
  if (message.status === 'failed') return failed(deps.db, message, message.error ?? 'failed');

  let result: SendResult;
  if (message.channel === 'letter') {
    // Letters are printed and posted by finance: the task is the delivery.
    result = { ok: true, providerMessageId: null };
  } else {
    const sender = message.channel === 'email' ? deps.email : deps.sms;
    if (message.provider !== sender.provider)
      await setCommunicationProvider(deps.db, message.id, sender.provider);
    if (message.channel === 'email') {
      const organization = await getOrganization(deps.db, message.organization_id);
      result = await deps.email.send({
        idempotencyKey: message.idempotency_key,
        from: `${organization?.sender_name ?? 'Accounts'} <${organization?.sender_email ?? 'noreply@localhost'}>`,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body_text,
        html: message.body_html ?? '',
      });
    } else {
      result = await deps.sms.send({
        idempotencyKey: message.idempotency_key,
        to: message.recipient,
        text: message.body_text,
      });
    }
  }
  if (result.ok) {
    await markCommunicationSent(deps.db, message.id, {
      providerMessageId: result.providerMessageId,
      sentAt: deps.now(),
    });
    return { status: 'sent', communicationId };
  }
  await markCommunicationFailed(deps.db, message.id, result.error);
  deps.logger.warn({ communicationId, error: result.error }, 'message rejected by provider');
  return failed(deps.db, message, result.error);
}

async function failed(
  db: DbOrTx,
  message: { id: string; organization_id: string; customer_id: string },
  error: string,
): Promise<StepOutcome> {
  const task = await insertTaskOnce(db, {
    organization_id: message.organization_id,
    kind: 'failed_message',
    idempotency_key: `failed-message/${message.id}`,
    customer_id: message.customer_id,
    communication_id: message.id,
    title: 'A message could not be delivered: check the contact details',
    details: { error },
  });
  return { status: 'failed', reason: error, taskId: task.id };
}
