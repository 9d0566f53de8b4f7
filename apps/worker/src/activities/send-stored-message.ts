import {
  type Db,
  getOrganization,
  insertTaskOnce,
  markCommunicationFailed,
  markCommunicationSent,
} from '@settle/db';
import type { Logger } from '@settle/logging';
import type { StepOutcome } from '@settle/workflows';
import type { EmailSender, SendResult, SmsSender } from '../providers/types';

export interface SendStoredMessageDeps {
  db: Db;
  email: EmailSender;
  sms: SmsSender;
  logger: Logger;
}

/**
 * Sends a recorded message (a reminder step's or a queued one) through the configured sender with the
 * message's own idempotency key, then marks it sent or failed. Sent is final, so a retried activity is
 * one message at the provider; a rejected one becomes a "message to fix" task for finance. A
 * TransientProviderError thrown by a sender fails the attempt and Temporal retries it with backoff.
 */
export async function sendStoredMessage(
  deps: SendStoredMessageDeps,
  communicationId: string,
  now: Date,
): Promise<StepOutcome> {
  const message = await deps.db
    .selectFrom('communications')
    .selectAll()
    .where('id', '=', communicationId)
    .executeTakeFirst();
  if (!message) return { status: 'skipped', reason: 'message not found' };
  if (message.status === 'sent') return { status: 'sent', communicationId };
  if (message.status === 'failed') return failed(deps, message, message.error ?? 'failed');

  let result: SendResult;
  if (message.channel === 'letter') {
    // Letters are printed and posted by finance: the task is the delivery.
    result = { ok: true, providerMessageId: null };
  } else {
    const sender = message.channel === 'email' ? deps.email : deps.sms;
    if (message.provider !== sender.provider) {
      await deps.db
        .updateTable('communications')
        .set({ provider: sender.provider })
        .where('id', '=', message.id)
        .execute();
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
      sentAt: now,
    });
    return { status: 'sent', communicationId };
  }
  await markCommunicationFailed(deps.db, message.id, result.error);
  deps.logger.warn({ communicationId, error: result.error }, 'message rejected by provider');
  return failed(deps, message, result.error);
}

async function failed(
  deps: SendStoredMessageDeps,
  message: { id: string; organization_id: string; customer_id: string },
  error: string,
): Promise<StepOutcome> {
  const task = await insertTaskOnce(deps.db, {
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
