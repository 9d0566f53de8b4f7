import { createPortalLink, templateValuesFor, toReminderPolicy } from '@settle/core';
import {
  type Customer,
  closeActivePromiseToPay,
  type Db,
  type DbOrTx,
  findTemplate,
  getCustomer,
  getInvoiceById,
  getOrganization,
  type Invoice,
  insertCommunicationOnce,
  insertDocumentOnce,
  insertTaskOnce,
  type Organization,
  resolveReminderPolicy,
  updateInvoice,
} from '@settle/db';
import {
  type Channel,
  computeLateCharges,
  DEFAULT_TEMPLATES,
  formatLongDate,
  localDateOf,
  type PlannedStep,
  planReminders,
  type ReminderPolicy,
  renderTemplate,
  resolveLocale,
  TemplateError,
} from '@settle/domain';
import type { Logger } from '@settle/logging';
import type {
  ExecuteStepInput,
  HoldReason,
  InvoiceSnapshot,
  MessageActivities,
  ReminderActivities,
  StepOutcome,
} from '@settle/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import { renderEmailHtml } from '../messages/render-email';
import { renderLetterPdf } from '../messages/render-letter';
import type { EmailSender, SmsSender } from '../providers/types';
import { activityClock } from './activity-clock';
import { createMessageActivities } from './deliver-message';
import { sendStoredMessage } from './send-stored-message';

export interface ActivityDeps {
  db: Db;
  email: EmailSender;
  sms: SmsSender;
  logger: Logger;
  portalBaseUrl: string;
  /** ECB main refinancing rate in basis points, for statutory late-payment interest. */
  referenceRateBasisPoints: number;
  now?: () => Date;
}

type NoticeKey = 'thank-you' | 'promise-missed' | 'payment-failed';

interface Loaded {
  invoice: Invoice;
  customer: Customer;
  organization: Organization;
}

/**
 * A template that cannot be filled (a variable with no value, say a letter to a customer without an
 * address) will not fill on retry either: report it instead of retrying forever or sending a blank.
 */
async function renderOrExplain<T>(fn: () => Promise<T>): Promise<T | { problem: string }> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TemplateError) return { problem: `cannot render the message: ${error.message}` };
    throw error;
  }
}

/** The reminder workflow's activities over their dependencies (the Temporal samples' factory shape). */
export function createActivities(deps: ActivityDeps): ReminderActivities & MessageActivities {
  const now = deps.now ?? activityClock;

  async function load(db: DbOrTx, invoiceId: string, lock: boolean): Promise<Loaded | null> {
    let invoice = await getInvoiceById(db, invoiceId);
    if (!invoice) return null;
    let customer = await getCustomer(db, invoice.organization_id, invoice.customer_id);
    if (lock) {
      // Customer first, then invoice: sends are serialized per customer (two invoices' steps on one
      // day cannot both create a message), and the row lock on the invoice orders this check after
      // any payment being written right now. Always in this order, so two sends never deadlock.
      customer = await db
        .selectFrom('customers')
        .selectAll()
        .where('id', '=', invoice.customer_id)
        .forUpdate()
        .executeTakeFirst();
      invoice = await db
        .selectFrom('invoices')
        .selectAll()
        .where('id', '=', invoiceId)
        .forUpdate()
        .executeTakeFirst();
      if (!invoice) return null;
    }
    const organization = await getOrganization(db, invoice.organization_id);
    if (!customer || !organization) return null;
    return { invoice, customer, organization };
  }

  async function holdsOf(
    db: DbOrTx,
    invoice: Invoice,
  ): Promise<{ holds: HoldReason[]; promisedDate: string | null }> {
    const [dispute, promise] = await Promise.all([
      db
        .selectFrom('disputes')
        .select('id')
        .where('invoice_id', '=', invoice.id)
        .where('status', '=', 'open')
        .executeTakeFirst(),
      db
        .selectFrom('promises_to_pay')
        .select('promised_date')
        .where('invoice_id', '=', invoice.id)
        .where('status', '=', 'active')
        .executeTakeFirst(),
    ]);
    const holds: HoldReason[] = [];
    if (dispute) holds.push('dispute');
    if (invoice.payment_pending) holds.push('payment_pending');
    if (invoice.paused_at) holds.push('finance');
    if (promise) holds.push('promise');
    return { holds, promisedDate: promise?.promised_date ?? null };
  }

  async function policyFor(db: DbOrTx, customer: Customer) {
    const policy = await resolveReminderPolicy(db, customer);
    if (!policy) {
      throw ApplicationFailure.nonRetryable(
        `organization ${customer.organization_id} has no reminder policy for customer ${customer.code}`,
        'NoReminderPolicy',
      );
    }
    return toReminderPolicy(policy);
  }

  /**
   * Open invoices of the same customer with a step on the same channel and local day: they are listed
   * in this message instead of getting one of their own (never two messages to a customer on a day).
   */
  async function companionInvoices(
    db: DbOrTx,
    loaded: Loaded,
    step: PlannedStep,
    policy: ReminderPolicy,
  ): Promise<Invoice[]> {
    const others = await db
      .selectFrom('invoices')
      .selectAll()
      .where('organization_id', '=', loaded.invoice.organization_id)
      .where('customer_id', '=', loaded.customer.id)
      .where('status', '=', 'open')
      .where('id', '!=', loaded.invoice.id)
      .execute();
    const companions: Invoice[] = [];
    for (const other of others) {
      if ((await holdsOf(db, other)).holds.length > 0) continue;
      const plan = planReminders({
        issueDate: other.issue_date,
        dueDate: other.due_date,
        timeZone: loaded.customer.time_zone,
        country: loaded.customer.country,
        policy,
      });
      if (plan.some((s) => s.channel === step.channel && s.localDate === step.localDate))
        companions.push(other);
    }
    return companions;
  }

  /** A message of this channel already sent today to the customer and covering this invoice. */
  async function coveringMessageToday(db: DbOrTx, loaded: Loaded, channel: Channel, localDate: string) {
    const rows = await db
      .selectFrom('communications as c')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select(['c.id', 'c.created_at'])
      .where('c.organization_id', '=', loaded.invoice.organization_id)
      .where('c.customer_id', '=', loaded.customer.id)
      .where('c.channel', '=', channel as 'email')
      .where('ci.invoice_id', '=', loaded.invoice.id)
      .where('c.status', '!=', 'failed')
      .where('c.created_at', '>', new Date(now().getTime() - 2 * 86_400_000))
      .execute();
    return rows.find((row) => localDateOf(row.created_at.getTime(), loaded.customer.time_zone) === localDate);
  }

  async function templateFor(
    db: DbOrTx,
    organizationId: string,
    key: string,
    channel: Channel,
    locale: string,
  ) {
    const stored = await findTemplate(db, organizationId, key, channel, locale);
    if (stored) return { subject: stored.subject, body: stored.body };
    const fallback =
      DEFAULT_TEMPLATES.find((t) => t.key === key && t.channel === channel && t.locale === locale) ??
      DEFAULT_TEMPLATES.find((t) => t.key === key && t.channel === channel && t.locale === 'en');
    if (!fallback) {
      throw ApplicationFailure.nonRetryable(`no template ${key}/${channel}/${locale}`, 'MissingTemplate');
    }
    return { subject: fallback.subject, body: fallback.body };
  }

  async function render(
    db: DbOrTx,
    loaded: Loaded,
    invoices: Invoice[],
    templateKey: string,
    channel: Channel,
    options: { withCharges: boolean; promiseDate?: string | undefined },
  ) {
    const { organization, customer } = loaded;
    const locale = resolveLocale(customer.locale);
    const today = localDateOf(now().getTime(), customer.time_zone);
    const link = await createPortalLink(db, {
      organizationId: organization.id,
      customerId: customer.id,
      baseUrl: deps.portalBaseUrl,
      now: now(),
    });
    const primary = loaded.invoice;
    const charges = options.withCharges
      ? computeLateCharges({
          principal: { amountMinor: primary.total_minor - primary.paid_minor, currency: primary.currency },
          dueDate: primary.due_date,
          asOf: today,
          referenceRateBasisPoints: deps.referenceRateBasisPoints,
        })
      : undefined;
    const openInvoices = await db
      .selectFrom('invoices')
      .selectAll()
      .where('organization_id', '=', organization.id)
      .where('customer_id', '=', customer.id)
      .where('status', '=', 'open')
      .execute();
    const values = templateValuesFor({
      organization,
      customer,
      locale: customer.locale,
      today,
      portalUrl: link.url,
      invoices: invoices,
      customerInvoices: openInvoices,
      charges,
      promiseDate: options.promiseDate,
    });
    const template = await templateFor(db, organization.id, templateKey, channel, locale);
    const subject = template.subject ? renderTemplate(template.subject, values) : '';
    const text = renderTemplate(template.body, values);
    return { locale, subject, text };
  }

  async function closedReason(db: DbOrTx, loaded: Loaded | null): Promise<string | null> {
    if (!loaded) return 'invoice not found';
    if (loaded.invoice.status !== 'open') return `invoice ${loaded.invoice.status}`;
    const { holds } = await holdsOf(db, loaded.invoice);
    return holds.length > 0 ? `invoice on hold: ${holds.join(', ')}` : null;
  }

  /** Sends a stored message through its provider and records the provider's answer. */
  function deliver(communicationId: string): Promise<StepOutcome> {
    return sendStoredMessage(deps, communicationId, now());
  }

  /** Records a message (once per key) inside the caller's transaction; returns undefined if skipped. */
  async function recordMessage(
    tx: DbOrTx,
    loaded: Loaded,
    options: {
      idempotencyKey: string;
      stepKey: string;
      channel: 'email' | 'sms' | 'letter';
      templateKey: string;
      invoices: Invoice[];
      withCharges: boolean;
      promiseDate?: string | undefined;
    },
  ): Promise<{ communicationId: string } | { skipped: string }> {
    const { customer } = loaded;
    const existing = await tx
      .selectFrom('communications')
      .select('id')
      .where('organization_id', '=', customer.organization_id)
      .where('idempotency_key', '=', options.idempotencyKey)
      .executeTakeFirst();
    if (existing) return { communicationId: existing.id };

    const recipient =
      options.channel === 'email'
        ? customer.email_opt_out
          ? null
          : customer.email
        : options.channel === 'sms'
          ? customer.sms_opt_out
            ? null
            : customer.phone
          : [
              customer.name,
              customer.address_line1,
              customer.address_line2,
              `${customer.postal_code ?? ''} ${customer.city ?? ''}`.trim(),
              customer.country,
            ]
              .filter(Boolean)
              .join('\n');
    if (!recipient)
      return { skipped: `customer has no ${options.channel} contact or opted out of ${options.channel}` };

    const rendered = await renderOrExplain(() =>
      render(tx, loaded, options.invoices, options.templateKey, options.channel, {
        withCharges: options.withCharges,
        promiseDate: options.promiseDate,
      }),
    );
    if ('problem' in rendered) return { skipped: rendered.problem };
    const { communication } = await insertCommunicationOnce(
      tx,
      {
        organization_id: customer.organization_id,
        customer_id: customer.id,
        idempotency_key: options.idempotencyKey,
        step_key: options.stepKey,
        channel: options.channel,
        locale: rendered.locale,
        recipient,
        subject: rendered.subject || null,
        body_text: rendered.text,
        body_html:
          options.channel === 'email'
            ? await renderEmailHtml({
                subject: rendered.subject,
                text: rendered.text,
                organization: loaded.organization,
              })
            : null,
        provider:
          options.channel === 'email'
            ? deps.email.provider
            : options.channel === 'sms'
              ? deps.sms.provider
              : 'letter',
        created_at: now(),
      },
      options.invoices.map((invoice) => invoice.id),
    );
    return { communicationId: communication.id };
  }

  /** Renders the recorded letter as a PDF and keeps it with the message (once per message). */
  async function storeLetterPdf(tx: DbOrTx, loaded: Loaded, communicationId: string): Promise<string> {
    const message = await tx
      .selectFrom('communications')
      .select(['subject', 'body_text', 'recipient', 'created_at'])
      .where('id', '=', communicationId)
      .executeTakeFirstOrThrow();
    const { organization, customer } = loaded;
    const pdf = await renderLetterPdf({
      sender: {
        name: organization.legal_name,
        addressLines: [
          organization.address_line1,
          organization.address_line2,
          `${organization.postal_code} ${organization.city}`,
        ].filter((line): line is string => Boolean(line)),
      },
      recipientLines: message.recipient.split('\n'),
      dateLine: `${organization.city}, ${formatLongDate(localDateOf(message.created_at.getTime(), customer.time_zone), customer.locale)}`,
      subject: message.subject ?? '',
      text: message.body_text,
    });
    const document = await insertDocumentOnce(tx, {
      organizationId: organization.id,
      communicationId,
      kind: 'letter',
      filename: `letter-${loaded.invoice.number.replace(/[^\w.-]+/g, '_')}.pdf`,
      contentType: 'application/pdf',
      content: pdf,
    });
    return document.id;
  }

  return {
    ...createMessageActivities(deps),

    async loadInvoice({ invoiceId }): Promise<InvoiceSnapshot | null> {
      const loaded = await load(deps.db, invoiceId, false);
      if (!loaded) return null;
      const { invoice, customer } = loaded;
      const { holds, promisedDate } = await holdsOf(deps.db, invoice);
      return {
        invoiceId: invoice.id,
        organizationId: invoice.organization_id,
        customerId: invoice.customer_id,
        status: invoice.status,
        balanceMinor: invoice.total_minor - invoice.paid_minor,
        currency: invoice.currency,
        issueDate: invoice.issue_date,
        dueDate: invoice.due_date,
        timeZone: customer.time_zone,
        country: customer.country,
        policy: await policyFor(deps.db, customer),
        holds,
        promisedDate,
      };
    },

    async executeStep({ invoiceId, idempotencyKey, step }: ExecuteStepInput): Promise<StepOutcome> {
      const decided = await deps.db
        .transaction()
        .execute(async (tx): Promise<StepOutcome | { deliver: string }> => {
          // The row lock orders this check after any payment being written right now: a payment
          // recorded a second before the send wins.
          const loaded = await load(tx, invoiceId, true);
          const closed = await closedReason(tx, loaded);
          if (closed || !loaded) return { status: 'skipped', reason: closed ?? 'invoice not found' };
          const { invoice, customer } = loaded;
          const balance = invoice.total_minor - invoice.paid_minor;
          const policy = await policyFor(tx, customer);
          const policyStep = policy.steps.find((s) => s.key === step.stepKey);
          if (policyStep && balance < policyStep.minBalanceMinor) {
            return { status: 'skipped', reason: 'balance below the step minimum' };
          }
          if (
            policyStep?.onlyWhenOverdue &&
            localDateOf(now().getTime(), customer.time_zone) <= invoice.due_date
          ) {
            return { status: 'skipped', reason: 'not overdue' };
          }

          if (step.channel === 'call' || step.channel === 'collections') {
            const result = await renderOrExplain(() =>
              render(tx, loaded, [invoice], step.templateKey, step.channel, { withCharges: true }),
            );
            // A task without its script is still worth doing: finance sees why the script is missing.
            const rendered = 'problem' in result ? { subject: '', text: result.problem } : result;
            const task = await insertTaskOnce(tx, {
              organization_id: invoice.organization_id,
              kind: step.channel === 'call' ? 'call' : 'collections_handover',
              idempotency_key: idempotencyKey,
              customer_id: customer.id,
              invoice_id: invoice.id,
              title:
                rendered.subject ||
                (step.channel === 'call' ? `Call ${customer.name}` : `Hand over ${invoice.number}`),
              details: { script: rendered.text, phone: customer.phone, stepId: step.id },
            });
            return { status: 'task_created', taskId: task.id };
          }

          const covering = await coveringMessageToday(tx, loaded, step.channel, step.localDate);
          const alreadyRecorded = await tx
            .selectFrom('communications')
            .select('id')
            .where('organization_id', '=', invoice.organization_id)
            .where('idempotency_key', '=', idempotencyKey)
            .executeTakeFirst();
          if (covering && covering.id !== alreadyRecorded?.id) {
            return { status: 'merged', communicationId: covering.id };
          }
          const companions = alreadyRecorded ? [] : await companionInvoices(tx, loaded, step, policy);
          const recorded = await recordMessage(tx, loaded, {
            idempotencyKey,
            stepKey: step.id,
            channel: step.channel,
            templateKey: step.templateKey,
            invoices: [invoice, ...companions],
            // Statutory charges are stated in final notices when the policy claims them.
            withCharges: step.escalation === 'final' && policy.lateCharges,
          });
          if ('skipped' in recorded) {
            const task = await insertTaskOnce(tx, {
              organization_id: invoice.organization_id,
              kind: 'failed_message',
              idempotency_key: `${idempotencyKey}/no-contact`,
              customer_id: customer.id,
              invoice_id: invoice.id,
              title: `Could not prepare the ${step.channel} reminder for ${customer.name}`,
              details: { stepId: step.id, reason: recorded.skipped },
            });
            return { status: 'failed', reason: recorded.skipped, taskId: task.id };
          }
          if (step.channel === 'letter') {
            const documentId = await storeLetterPdf(tx, loaded, recorded.communicationId);
            await insertTaskOnce(tx, {
              organization_id: invoice.organization_id,
              kind: 'letter',
              idempotency_key: `${idempotencyKey}/post`,
              customer_id: customer.id,
              invoice_id: invoice.id,
              communication_id: recorded.communicationId,
              title: `Print and post the final notice for ${invoice.number} (registered mail)`,
              details: { stepId: step.id, documentId },
            });
          }
          return { deliver: recorded.communicationId };
        });
      return 'deliver' in decided ? deliver(decided.deliver) : decided;
    },

    async sendNotice({ invoiceId, idempotencyKey, templateKey, promiseDate }): Promise<StepOutcome> {
      const decided = await deps.db
        .transaction()
        .execute(async (tx): Promise<StepOutcome | { deliver: string }> => {
          const loaded = await load(tx, invoiceId, true);
          if (!loaded) return { status: 'skipped', reason: 'invoice not found' };
          const expected: Record<NoticeKey, boolean> = {
            'thank-you': loaded.invoice.status === 'paid',
            'promise-missed': loaded.invoice.status === 'open',
            'payment-failed': loaded.invoice.status === 'open',
          };
          if (!expected[templateKey])
            return { status: 'skipped', reason: `invoice ${loaded.invoice.status}` };
          if (templateKey === 'promise-missed') {
            // The broken promise no longer holds reminders back, here or after a restart.
            await closeActivePromiseToPay(tx, invoiceId, 'missed', now());
          }
          const recorded = await recordMessage(tx, loaded, {
            idempotencyKey,
            stepKey: templateKey,
            channel: 'email',
            templateKey,
            invoices: [loaded.invoice],
            withCharges: false,
            promiseDate,
          });
          return 'skipped' in recorded
            ? { status: 'skipped', reason: recorded.skipped }
            : { deliver: recorded.communicationId };
        });
      return 'deliver' in decided ? deliver(decided.deliver) : decided;
    },

    async markHandedOver({ invoiceId }): Promise<void> {
      const invoice = await getInvoiceById(deps.db, invoiceId);
      if (invoice?.status !== 'open') return;
      await updateInvoice(deps.db, invoice.organization_id, invoice.id, {
        status: 'in_collections',
        closed_at: now(),
      });
    },
  };
}
