import {
  type Communication,
  cancelUnsentCommunication,
  type DbOrTx,
  endCommunicationSend,
  getCommunication,
  getOrganization,
  insertTaskOnce,
  markCommunicationFailed,
  markCommunicationSent,
  setCommunicationProvider,
  startCommunicationSend,
} from '@settle/db';
import type { StepOutcome } from '@settle/workflows';
import {
  type EmailMessage,
  type ReminderDeps,
  type SendResult,
  type SentLookup,
  type SmsMessage,
  TransientSendError,
} from './message-ports';

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
  deps: DeliveryDeps,
  communicationId: string,
): Promise<StepOutcome> {
  const message = await getCommunication(deps.db, communicationId);
  if (!message) return { status: 'skipped', reason: 'message not found' };
  if (message.status === 'sent') return { status: 'sent', communicationId };
  if (message.status === 'cancelled')
    return { status: 'skipped', reason: message.error ?? 'message cancelled' };
  if (message.status === 'failed') return failed(deps.db, message, message.error ?? 'failed');
  // Letters are printed and posted by finance: the task is the delivery.
  if (message.channel === 'letter') return recordAnswer(deps, message, { ok: true, providerMessageId: null });

  const start = await claimSend(deps, message);
  if (start.kind === 'not-pending') return deliverRecordedMessage(deps, communicationId);
  return sendClaimed(deps, message, start.kind === 'uncertain');
}

/**
 * Withdraws a recorded message that its step no longer sends (the invoice was paid before the
 * retry, or the step merged into another message). A message whose send never began is cancelled.
 * One whose send began and got no answer may have reached the debtor, so the provider is asked: a
 * message it holds is recorded as sent (it then covers the invoices it lists, and the step's
 * outcome says it went out); one it certainly lacks is cancelled; when it cannot tell, the send is
 * finished under the message's idempotency key. Returns the outcome when the message went out, null
 * when it was withdrawn.
 */
export async function withdrawRecordedMessage(
  deps: DeliveryDeps,
  communicationId: string,
  reason: string,
): Promise<StepOutcome | null> {
  for (;;) {
    const message = await getCommunication(deps.db, communicationId);
    if (!message || message.status === 'cancelled' || message.status === 'failed') return null;
    if (message.status === 'sent') return { status: 'sent', communicationId };
    if (await cancelUnsentCommunication(deps.db, message.id, reason)) return null;
    if (message.channel === 'letter') continue;
    const start = await claimSend(deps, message);
    if (start.kind === 'not-pending') continue;
    if (start.kind === 'first') {
      // The send that had begun ended meanwhile without taking the message: withdraw it.
      await endCommunicationSend(deps.db, message.id);
      continue;
    }
    const found = await lookUpSent(deps, message);
    if (found === 'unknown') return sendClaimed(deps, message, true);
    if (found) {
      deps.logger.warn(
        { communicationId, providerMessageId: found.providerMessageId },
        'a withdrawn message had reached the provider: recorded as sent',
      );
      return recordAnswer(deps, message, { ok: true, providerMessageId: found.providerMessageId });
    }
    await endCommunicationSend(deps.db, message.id);
  }
}

type DeliveryDeps = Pick<ReminderDeps, 'db' | 'email' | 'sms' | 'logger' | 'now'>;

/**
 * Records (committed before the provider call) that an attempt to hand the message to its provider
 * begins now; throws while an earlier attempt may still be waiting for its answer.
 */
async function claimSend(deps: DeliveryDeps, message: Communication) {
  const sender = message.channel === 'email' ? deps.email : deps.sms;
  if (message.provider !== sender.provider)
    await setCommunicationProvider(deps.db, message.id, sender.provider);
  const start = await startCommunicationSend(deps.db, message.id, { inFlightForMs: sender.timeoutMs ?? 0 });
  if (start.kind === 'in-flight') {
    throw new MessageInFlightError(
      `message ${message.id}: an attempt that began at ${start.previousStartedAt.toISOString()} may still be waiting for ${sender.provider}`,
    );
  }
  return start;
}

/**
 * Hands a claimed e-mail or SMS to its provider and records the answer. An error answer (the
 * provider did not take it) ends the attempt's "maybe sent" state before the retry.
 */
async function sendClaimed(
  deps: DeliveryDeps,
  message: Communication,
  uncertain: boolean,
): Promise<StepOutcome> {
  let result: SendResult;
  try {
    if (message.channel === 'email') {
      result = await deps.email.send(await emailOf(deps, message));
    } else {
      const found = uncertain ? await lookUpSent(deps, message) : null;
      if (found && found !== 'unknown') {
        deps.logger.warn(
          { communicationId: message.id, providerMessageId: found.providerMessageId },
          'an earlier attempt got no answer, but the provider has the message: recorded as sent',
        );
        result = { ok: true, providerMessageId: found.providerMessageId };
      } else {
        result = await deps.sms.send(smsOf(message));
      }
    }
  } catch (error) {
    if (error instanceof TransientSendError && error.taken === 'no')
      await endCommunicationSend(deps.db, message.id);
    throw error;
  }
  return recordAnswer(deps, message, result);
}

async function recordAnswer(
  deps: DeliveryDeps,
  message: Communication,
  result: SendResult,
): Promise<StepOutcome> {
  if (result.ok) {
    await markCommunicationSent(deps.db, message.id, {
      providerMessageId: result.providerMessageId,
      sentAt: deps.now(),
    });
    return { status: 'sent', communicationId: message.id };
  }
  await markCommunicationFailed(deps.db, message.id, result.error);
  deps.logger.warn({ communicationId: message.id, error: result.error }, 'message rejected by provider');
  return failed(deps.db, message, result.error);
}

async function emailOf(deps: DeliveryDeps, message: Communication): Promise<EmailMessage> {
  const organization = await getOrganization(deps.db, message.organization_id);
  return {
    idempotencyKey: message.idempotency_key,
    from: `${organization?.sender_name ?? 'Accounts'} <${organization?.sender_email ?? 'noreply@localhost'}>`,
    to: message.recipient,
    subject: message.subject ?? '',
    text: message.body_text,
    html: message.body_html ?? '',
  };
}

/** What the provider holds for a message whose send got no answer (only messages created after its record can be it). */
async function lookUpSent(deps: DeliveryDeps, message: Communication): Promise<SentLookup> {
  const since = message.created_at;
  if (message.channel === 'email') {
    return deps.email.findSent
      ? deps.email.findSent({ ...(await emailOf(deps, message)), since })
      : 'unknown';
  }
  return deps.sms.findSent ? deps.sms.findSent({ ...smsOf(message), since }) : 'unknown';
}

function smsOf(message: Communication): SmsMessage {
  return { idempotencyKey: message.idempotency_key, to: message.recipient, text: message.body_text };
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
