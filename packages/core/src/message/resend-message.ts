import type { AuditEntry } from '@settle/db';
import { AppError } from '../errors';
import { type QueueMessageDeps, type QueueMessageResult, queueMessage } from './queue-message';

/**
 * Sends a copy of an e-mail or SMS again (same recipient and content) under a new idempotency key,
 * `resend/<communicationId>/<n>`, through the message delivery workflow. Respects the customer's
 * current opt-out for the channel.
 */
export async function resendMessage(
  deps: QueueMessageDeps,
  input: { organizationId: string; communicationId: string; actor: AuditEntry['actor'] },
): Promise<QueueMessageResult> {
  const original = await deps.db
    .selectFrom('communications')
    .selectAll()
    .where('organization_id', '=', input.organizationId)
    .where('id', '=', input.communicationId)
    .executeTakeFirst();
  if (!original) {
    throw new AppError('NOT_FOUND', `communication ${input.communicationId} not found`, {
      userMessage: 'Message not found.',
    });
  }
  if (original.channel === 'letter') {
    throw new AppError('CONFLICT', 'letters are printed and posted, not re-sent', {
      userMessage: 'A letter is re-sent by printing its PDF again.',
    });
  }
  const customer = await deps.db
    .selectFrom('customers')
    .select(['email_opt_out', 'sms_opt_out'])
    .where('id', '=', original.customer_id)
    .executeTakeFirstOrThrow();
  if (
    (original.channel === 'email' && customer.email_opt_out) ||
    (original.channel === 'sms' && customer.sms_opt_out)
  ) {
    throw new AppError('CONFLICT', `customer opted out of ${original.channel}`, {
      userMessage: `The customer has opted out of ${original.channel === 'email' ? 'e-mail' : 'SMS'}.`,
    });
  }
  const prefix = `resend/${original.id}/`;
  const earlier = await deps.db
    .selectFrom('communications')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('organization_id', '=', input.organizationId)
    .where('idempotency_key', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  const invoices = await deps.db
    .selectFrom('communication_invoices')
    .select('invoice_id')
    .where('communication_id', '=', original.id)
    .execute();
  return queueMessage(deps, {
    organizationId: input.organizationId,
    customerId: original.customer_id,
    channel: original.channel,
    recipient: original.recipient,
    subject: original.subject ?? '',
    bodyText: original.body_text,
    ...(original.body_html ? { bodyHtml: original.body_html } : {}),
    stepKey: `resend:${original.step_key}`,
    idempotencyKey: `${prefix}${Number(earlier.count) + 1}`,
    invoiceIds: invoices.map((row) => row.invoice_id),
    locale: original.locale,
    actor: input.actor,
  });
}
