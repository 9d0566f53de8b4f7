import { randomBytes } from 'node:crypto';
import {
  type Customer,
  type DbOrTx,
  findCommunicationByKey,
  type Invoice,
  insertCommunicationOnce,
  insertDocumentOnce,
  insertPortalLink,
  insertTaskOnce,
  type NewCommunication,
} from '@settle/db';
import { formatLongDate, localDateOf } from '@settle/domain';
import { PORTAL_LINK_TTL_DAYS } from '../debtor-portal/portal-links';
import { hashToken } from '../hash-token';
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

/**
 * A personal portal link for a message rendered outside a transaction: its URL now, its row when
 * the message is recorded (a message that is never recorded leaves no link behind).
 */
export interface PendingPortalLink {
  url: string;
  insert(tx: DbOrTx): Promise<void>;
}

export function preparePortalLink(
  deps: Pick<ReminderDeps, 'now' | 'portalBaseUrl'>,
  context: ReminderContext,
): PendingPortalLink {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.now().getTime() + PORTAL_LINK_TTL_DAYS * 86_400_000);
  return {
    url: new URL(`/p/${token}`, deps.portalBaseUrl).toString(),
    insert: async (tx) => {
      await insertPortalLink(tx, {
        organizationId: context.organization.id,
        customerId: context.customer.id,
        tokenHash: hashToken(token),
        expiresAt,
      });
    },
  };
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
  /** A reminder step's slot of the customer's day (`email`, `email+sms`, …) and that day. */
  daySlot?: { slot: string; date: string } | undefined;
}

type RecordDeps = Pick<
  ReminderDeps,
  'now' | 'portalBaseUrl' | 'renderEmailHtml' | 'renderLetterPdf' | 'email' | 'sms'
>;

/**
 * A message rendered and addressed, PDF included for a letter, ready to be recorded: everything
 * that reads a lot or takes time (templates, the customer's open invoices, late charges, HTML and
 * PDF), done before the transaction that records it, so no lock is held while it runs.
 */
export interface DraftedMessage {
  values: NewCommunication;
  invoiceIds: string[];
  portalLink: PendingPortalLink;
  letter: { pdf: Buffer; filename: string; title: string; invoiceId: string; stepKey: string } | null;
}

/**
 * Renders a message for later recording (see `insertDraftedMessage`), reading with `db` (the pool,
 * not a transaction). Returns the problem that prevents it (no address, opted out, no template) for
 * the caller to turn into a task.
 */
export async function draftReminderMessage(
  db: DbOrTx,
  deps: RecordDeps,
  input: RecordMessageInput,
): Promise<{ drafted: DraftedMessage } | { problem: string }> {
  const { context } = input;
  const { customer, organization } = context;
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
  const portalLink = preparePortalLink(deps, context);
  const rendered = await renderReminderMessage(db, {
    organization,
    customer,
    invoices: input.invoices,
    policy: context.policy,
    now,
    portalUrl: portalLink.url,
    promiseDate: input.promiseDate,
    templateKey: input.templateKey,
    channel: input.channel,
  });
  if (!rendered.ok) return { problem: rendered.problem };

  const values: NewCommunication = {
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
    day_slot: input.daySlot?.slot ?? null,
    slot_date: input.daySlot?.date ?? null,
    created_at: now,
  };
  let letter: DraftedMessage['letter'] = null;
  if (input.channel === 'letter') {
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
    letter = {
      pdf,
      filename: `letter-${context.invoice.number.replace(/[^\w.-]+/g, '_')}.pdf`,
      title: `Print and post the final notice for ${context.invoice.number} (registered mail)`,
      invoiceId: context.invoice.id,
      stepKey: input.stepKey,
    };
  }
  return {
    drafted: { values, invoiceIds: input.invoices.map((invoice) => invoice.id), portalLink, letter },
  };
}

/**
 * Records a drafted message once per idempotency key inside the caller's transaction (the one that
 * holds the customer's lock): its portal link, the message with the invoices it lists, and for a
 * letter its PDF and the "print and post" task. Only inserts: nothing here renders or reads much.
 */
export async function insertDraftedMessage(
  tx: DbOrTx,
  drafted: DraftedMessage,
): Promise<{ communicationId: string; isNew: boolean }> {
  const { values } = drafted;
  const existing = await findCommunicationByKey(tx, values.organization_id, values.idempotency_key);
  if (existing) return { communicationId: existing.id, isNew: false };
  await drafted.portalLink.insert(tx);
  const { communication, isNew } = await insertCommunicationOnce(tx, values, drafted.invoiceIds);
  if (drafted.letter && isNew) {
    const document = await insertDocumentOnce(tx, {
      organizationId: values.organization_id,
      communicationId: communication.id,
      kind: 'letter',
      filename: drafted.letter.filename,
      contentType: 'application/pdf',
      content: drafted.letter.pdf,
    });
    await insertTaskOnce(tx, {
      organization_id: values.organization_id,
      kind: 'letter',
      idempotency_key: `${values.idempotency_key}/post`,
      customer_id: values.customer_id,
      invoice_id: drafted.letter.invoiceId,
      communication_id: communication.id,
      title: drafted.letter.title,
      details: { stepId: drafted.letter.stepKey, documentId: document.id },
      created_at: values.created_at,
    });
  }
  return { communicationId: communication.id, isNew };
}
