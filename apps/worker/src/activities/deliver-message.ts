import { getOrganization, insertTaskOnce, markCommunicationFailed, markCommunicationSent } from '@settle/db';
import type { MessageActivities, StepOutcome } from '@settle/workflows';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './index';

function activityClock(): Date {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date(); // called directly, outside an activity
  }
}

/**
 * The activity of the one-message workflow (`queueMessage` in core): sends a pending message through
 * the same senders as the reminder steps, with the message's idempotency key, so a retried attempt is
 * one message at the provider.
 */
export function createMessageActivities(deps: ActivityDeps): MessageActivities {
  const now = deps.now ?? activityClock;

  async function failed(
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

  return {
    async deliverMessage({ communicationId }): Promise<StepOutcome> {
      const message = await deps.db
        .selectFrom('communications')
        .selectAll()
        .where('id', '=', communicationId)
        .executeTakeFirst();
      if (!message) return { status: 'skipped', reason: 'message not found' };
      if (message.status === 'sent') return { status: 'sent', communicationId };
      if (message.status === 'failed') return failed(message, message.error ?? 'failed');
      if (message.channel === 'letter') return { status: 'skipped', reason: 'letters are posted by finance' };

      const sender = message.channel === 'email' ? deps.email : deps.sms;
      if (message.provider !== sender.provider) {
        await deps.db
          .updateTable('communications')
          .set({ provider: sender.provider })
          .where('id', '=', message.id)
          .execute();
      }
      // A TransientProviderError thrown here fails the attempt; Temporal retries with the same key.
      const result =
        message.channel === 'email'
          ? await deps.email.send({
              idempotencyKey: message.idempotency_key,
              from: await senderAddress(message.organization_id),
              to: message.recipient,
              subject: message.subject ?? '',
              text: message.body_text,
              html: message.body_html ?? '',
            })
          : await deps.sms.send({
              idempotencyKey: message.idempotency_key,
              to: message.recipient,
              text: message.body_text,
            });
      if (result.ok) {
        await markCommunicationSent(deps.db, message.id, {
          providerMessageId: result.providerMessageId,
          sentAt: now(),
        });
        return { status: 'sent', communicationId };
      }
      await markCommunicationFailed(deps.db, message.id, result.error);
      deps.logger.warn({ communicationId, error: result.error }, 'message rejected by provider');
      return failed(message, result.error);
    },
  };

  async function senderAddress(organizationId: string): Promise<string> {
    const organization = await getOrganization(deps.db, organizationId);
    return `${organization?.sender_name ?? 'Accounts'} <${organization?.sender_email ?? 'noreply@localhost'}>`;
  }
}
