import {
  type DbOrTx,
  getCommunication,
  getOrganization,
  insertTaskOnce,
  markCommunicationFailed,
  markCommunicationSent,
  setCommunicationProvider,
  startCommunicationSend,
} from '@settle/db';
import type { StepOutcome } from '@settle/workflows';
import type { ReminderDeps, SendResult } from './message-ports';

/**
 * Another attempt began handing this message to its provider less than the provider timeout ago
 * and may still get its answer: retry after it has ended (the activity retries this error).
 */
export class MessageInFlightError extends Error {
  override name = 'MessageInFlightError';
}

/**
 * Sends a recorded message (a reminder step's, a notice's or a queued one) through the configured
 * sender with the message's own idempotency key, then marks it sent or failed. Sent is final, so a
 * retried activity is one message at the provider; a rejected one becomes a "message to fix" task
 * for finance. A transient error thrown by a sender fails the attempt and Temporal retries it.
 *
 * Each attempt first records that it is starting (committed before the call). A retry that finds an
 * earlier attempt with no answer recorded cannot know whether the provider took the message: e-mail
 * is sent again under the same idempotency key (Resend answers with the first message), an SMS is
 * first looked up in Twilio's message list (Twilio has no idempotency key) and only sent when not
 * found. While the earlier call may still be running (younger than the provider timeout), the retry
 * waits.
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
    const start = await startCommunicationSend(deps.db, message.id, {
      inFlightForMs: sender.timeoutMs ?? 0,
    });
    if (start.kind === 'not-pending') return deliverRecordedMessage(deps, communicationId);
    if (start.kind === 'in-flight') {
      throw new MessageInFlightError(
        `message ${message.id}: an attempt that began at ${start.previousStartedAt.toISOString()} may still be waiting for ${sender.provider}`,
      );
    }
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
      const sms = { idempotencyKey: message.idempotency_key, to: message.recipient, text: message.body_text };
      // Only messages created after this row was recorded can be this one's.
      const found =
        start.kind === 'uncertain' && deps.sms.findSent
          ? await deps.sms.findSent({ ...sms, since: message.created_at })
          : null;
      if (found) {
        deps.logger.warn(
          { communicationId, providerMessageId: found.providerMessageId },
          'an earlier attempt got no answer, but the provider has the message: recorded as sent',
        );
      }
      result = found ? { ok: true, providerMessageId: found.providerMessageId } : await deps.sms.send(sms);
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
