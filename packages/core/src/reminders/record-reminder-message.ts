import {
  type Customer,
  type DbOrTx,
  findCommunicationByKey,
  type Invoice,
  insertCommunicationOnce,
  insertDocumentOnce,
  insertTaskOnce,
} from '@settle/db';
import { formatLongDate, localDateOf } from '@settle/domain';
import { createPortalLink } from '../portal-links';
import type { ReminderDeps } from './message-ports';
import type { ReminderContext } from './reminder-context';
import { renderReminderMessage } from './render-reminder-message';

export type MessageChannel = 'email' | 'sms' | 'letter';

/** Where a message to the customer goes on a channel, or null when it cannot or must not go there. */
export function recipientOf(customer: Customer, channel: MessageChannel): string | null {
  switch (channel) {
    case 'email':
      return customer.email_opt_out ? null : customer.email || null;
    case 'sms':
      return customer.sms_opt_out ? null : customer.phone || null;
    case 'letter': {
      if (!customer.address_line1) return null;
      return [
        customer.name,
        customer.address_line1,
        customer.address_line2,
        `${customer.postal_code ?? ''} ${customer.city ?? ''}`.trim(),
        customer.country,
      ]
        .filter(Boolean)
        .join('\n');
    }
  }
}

/** A fresh personal portal link for the customer (every message carries its own). */
export async function debtorPortalUrl(
  tx: DbOrTx,
  deps: Pick<ReminderDeps, 'now' | 'portalBaseUrl'>,
  context: ReminderContext,
): Promise<string> {
  const link = await createPortalLink(tx, {
    organizationId: context.organization.id,
    customerId: context.customer.id,
    baseUrl: deps.portalBaseUrl,
    now: deps.now(),
  });
  return link.url;
}

export interface RecordMessageInput {
  context: ReminderContext;
  idempotencyKey: string;
  /** The step id (`overdue-email#1`) or notice key (`thank-you`) the message is for. */
  stepKey: string;
  channel: MessageChannel;
  templateKey: string;
  /** The context's invoice first, then any merged into the message. */
  invoices: Invoice[];
  promiseDate?: string | undefined;
}

/**
 * Records a message once per idempotency key, rendered and addressed, inside the caller's
 * transaction; a letter also gets its PDF and a "print and post" task. Returns the message, or the
 * problem that prevents it (no address, opted out, no template) for the caller to turn into a task.
 */
export async function recordReminderMessage(
  tx: DbOrTx,
  deps: Pick<ReminderDeps, 'now' | 'portalBaseUrl' | 'renderEmailHtml' | 'renderLetterPdf' | 'email' | 'sms'>,
  input: RecordMessageInput,
): Promise<{ communicationId: string; isNew: boolean } | { problem: string }> {
  const { context } = input;
  const { customer, organization } = context;
  const existing = await findCommunicationByKey(tx, organization.id, input.idempotencyKey);
  if (existing) return { communicationId: existing.id, isNew: false };

  const recipient = recipientOf(customer, input.channel);
  if (!recipient) {
    return {
      problem:
        input.channel === 'letter'
          ? 'customer has no postal address'
          : `customer has no ${input.channel} contact or opted out of ${input.channel}`,
    };
  }
  const now = deps.now();
  const rendered = await renderReminderMessage(tx, {
    organization,
    customer,
    invoices: input.invoices,
    policy: context.policy,
    now,
    portalUrl: await debtorPortalUrl(tx, deps, context),
    promiseDate: input.promiseDate,
    templateKey: input.templateKey,
    channel: input.channel,
  });
  if (!rendered.ok) return { problem: rendered.problem };

  const { communication, isNew } = await insertCommunicationOnce(
    tx,
    {
      organization_id: organization.id,
      customer_id: customer.id,
      idempotency_key: input.idempotencyKey,
      step_key: input.stepKey,
      channel: input.channel,
      locale: rendered.locale,
      recipient,
      subject: rendered.subject || null,
      body_text: rendered.text,
      body_html:
        input.channel === 'email'
          ? await deps.renderEmailHtml({ subject: rendered.subject, text: rendered.text, organization })
          : null,
      provider:
        input.channel === 'email'
          ? deps.email.provider
          : input.channel === 'sms'
            ? deps.sms.provider
            : 'letter',
      created_at: now,
    },
    input.invoices.map((invoice) => invoice.id),
  );
  if (input.channel === 'letter' && isNew) {
    const pdf = await deps.renderLetterPdf({
      sender: {
        name: organization.legal_name,
        addressLines: [
          organization.address_line1,
          organization.address_line2,
          `${organization.postal_code} ${organization.city}`,
        ].filter((line): line is string => Boolean(line)),
      },
      recipientLines: recipient.split('\n'),
      dateLine: `${organization.city}, ${formatLongDate(localDateOf(now.getTime(), customer.time_zone), customer.locale)}`,
      subject: rendered.subject,
      text: rendered.text,
    });
    const document = await insertDocumentOnce(tx, {
      organizationId: organization.id,
      communicationId: communication.id,
      kind: 'letter',
      filename: `letter-${context.invoice.number.replace(/[^\w.-]+/g, '_')}.pdf`,
      contentType: 'application/pdf',
      content: pdf,
    });
    await insertTaskOnce(tx, {
      organization_id: organization.id,
      kind: 'letter',
      idempotency_key: `${input.idempotencyKey}/post`,
      customer_id: customer.id,
      invoice_id: context.invoice.id,
      communication_id: communication.id,
      title: `Print and post the final notice for ${context.invoice.number} (registered mail)`,
      details: { stepId: input.stepKey, documentId: document.id },
      created_at: now,
    });
  }
  return { communicationId: communication.id, isNew };
}
