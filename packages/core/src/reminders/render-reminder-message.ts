import {
  type Customer,
  type DbOrTx,
  findTemplate,
  type Invoice,
  listOpenInvoicesOfCustomer,
  type Organization,
} from '@settle/db';
import {
  type Channel,
  DEFAULT_TEMPLATES,
  localDateOf,
  type ReminderPolicy,
  renderTemplate,
  resolveLocale,
  type StatutoryLateCharges,
  type SupportedLocale,
  TemplateError,
} from '@settle/domain';
import { AppError } from '../errors';
import { templateValuesFor } from '../template/template-values';
import { lateChargesForInvoice } from './late-charges-for-invoice';

export interface MessageFacts {
  organization: Organization;
  customer: Customer;
  /** The invoices the message is about: the step's own first, then any merged into it. */
  invoices: Invoice[];
  policy: ReminderPolicy;
  now: Date;
  portalUrl: string;
  /** The promised day, for a promise-missed notice. */
  promiseDate?: string | undefined;
}

/**
 * Statutory charges on the first invoice of the message, when the policy claims them and the
 * invoice is late; templates state them only where they use `charges.*` (a letter's optional
 * section). A rate not on record leaves them out rather than claim a guessed figure.
 */
async function chargesFor(
  db: DbOrTx,
  facts: MessageFacts,
  today: string,
): Promise<StatutoryLateCharges | undefined> {
  const invoice = facts.invoices[0];
  if (!invoice || today <= invoice.due_date || invoice.total_minor - invoice.paid_minor <= 0)
    return undefined;
  try {
    const charges = await lateChargesForInvoice(db, {
      organization: facts.organization,
      customer: facts.customer,
      invoice,
      policy: facts.policy,
      asOf: today,
    });
    return charges ?? undefined;
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAVAILABLE') return undefined;
    throw error;
  }
}

/**
 * The variables of a message, from the rows it is about. The worker's messages and the finance
 * console's preview both come from here, so a preview is what would be sent.
 */
export async function reminderMessageValues(
  db: DbOrTx,
  facts: MessageFacts,
): Promise<Record<string, string>> {
  const today = localDateOf(facts.now.getTime(), facts.customer.time_zone);
  const customerInvoices = await listOpenInvoicesOfCustomer(db, facts.organization.id, facts.customer.id);
  return templateValuesFor({
    organization: facts.organization,
    customer: facts.customer,
    locale: facts.customer.locale,
    today,
    portalUrl: facts.portalUrl,
    invoices: facts.invoices,
    customerInvoices,
    charges: await chargesFor(db, facts, today),
    promiseDate: facts.promiseDate,
  });
}

/** The organization's template for a key, channel and language, else the built-in one (else English). */
export async function findMessageTemplate(
  db: DbOrTx,
  organizationId: string,
  key: string,
  channel: Channel,
  locale: SupportedLocale,
): Promise<{ subject: string; body: string } | null> {
  const stored = await findTemplate(db, organizationId, key, channel, locale);
  if (stored) return { subject: stored.subject, body: stored.body };
  const builtIn =
    DEFAULT_TEMPLATES.find((t) => t.key === key && t.channel === channel && t.locale === locale) ??
    DEFAULT_TEMPLATES.find((t) => t.key === key && t.channel === channel && t.locale === 'en');
  return builtIn ? { subject: builtIn.subject, body: builtIn.body } : null;
}

export type RenderedMessage =
  | { ok: true; locale: SupportedLocale; subject: string; text: string }
  | { ok: false; problem: string };

/**
 * Renders a message in the customer's language. A template that is missing, or that cannot be filled
 * (a letter to a customer without an address), will not render on retry either: it comes back as a
 * problem for a finance task, never as a blank message or a workflow failure.
 */
export async function renderReminderMessage(
  db: DbOrTx,
  facts: MessageFacts & { templateKey: string; channel: Channel },
): Promise<RenderedMessage> {
  const locale = resolveLocale(facts.customer.locale);
  const template = await findMessageTemplate(
    db,
    facts.organization.id,
    facts.templateKey,
    facts.channel,
    locale,
  );
  if (!template) {
    return { ok: false, problem: `no ${facts.channel} template '${facts.templateKey}' in ${locale} or en` };
  }
  const values = await reminderMessageValues(db, facts);
  try {
    return {
      ok: true,
      locale,
      subject: template.subject ? renderTemplate(template.subject, values) : '',
      text: renderTemplate(template.body, values),
    };
  } catch (error) {
    if (error instanceof TemplateError)
      return { ok: false, problem: `cannot render the message: ${error.message}` };
    throw error;
  }
}
