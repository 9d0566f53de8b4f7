import {
  type Communication,
  type DbOrTx,
  getCustomer,
  getInvoice,
  type InvoiceStatus,
  listInvoiceCommunications,
  resolveReminderPolicy,
} from '@settle/db';
import { previewSchedule, type SchedulePreview } from '@settle/domain';
import { AppError } from '../errors';
import { toReminderPolicy } from '../policy/reminder-policy-rows';

/** A message already recorded for the invoice (sent, pending, failed or cancelled). */
export interface RecordedMessage {
  communicationId: string;
  /** The planned step id (`stepKey#occurrence`) from the message's idempotency key; null for notices. */
  stepId: string | null;
  stepKey: string;
  channel: Communication['channel'];
  status: Communication['status'];
  recipient: string;
  subject: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
  sentAt: string | null;
  error: string | null;
}

/** An invoice's planned reminders next to what has already gone out. */
export interface InvoiceSchedule {
  invoice: {
    id: string;
    number: string;
    status: InvoiceStatus;
    currency: string;
    balanceMinor: number;
    issueDate: string;
    dueDate: string;
  };
  customer: { id: string; name: string; timeZone: string; country: string; locale: string };
  /** The policy that applies (customer's own, else its segment's, else the default); null when none does. */
  policy: { id: string; name: string } | null;
  /** Null when no policy applies: the invoice's workflow cannot plan anything either. */
  preview: SchedulePreview | null;
  messages: RecordedMessage[];
}

// Step messages carry `invoice-<id>/step-<stepId>` (see stepIdempotencyKey in @settle/workflows).
const STEP_KEY_PATTERN = /\/step-([^/]+)$/;

function toRecordedMessage(message: Communication): RecordedMessage {
  return {
    communicationId: message.id,
    stepId: STEP_KEY_PATTERN.exec(message.idempotency_key)?.[1] ?? null,
    stepKey: message.step_key,
    channel: message.channel,
    status: message.status,
    recipient: message.recipient,
    subject: message.subject,
    createdAt: message.created_at.toISOString(),
    sentAt: message.sent_at?.toISOString() ?? null,
    error: message.error,
  };
}

/**
 * The reminder schedule of one invoice as its workflow plans it (same policy, same customer calendar,
 * same per-invoice minute), steps before `now` marked past, with the messages already recorded.
 * Another organization's invoice is NOT_FOUND.
 */
export async function previewInvoiceSchedule(
  db: DbOrTx,
  options: { organizationId: string; invoiceId: string; now: Date },
): Promise<InvoiceSchedule> {
  const invoice = await getInvoice(db, options.organizationId, options.invoiceId);
  if (!invoice) {
    throw new AppError('NOT_FOUND', `invoice ${options.invoiceId} not found`, {
      userMessage: 'Invoice not found.',
    });
  }
  const customer = await getCustomer(db, options.organizationId, invoice.customer_id);
  if (!customer) {
    throw new AppError('INTERNAL', `customer ${invoice.customer_id} of invoice ${invoice.id} is missing`);
  }
  const [policyRow, messages] = await Promise.all([
    resolveReminderPolicy(db, customer),
    listInvoiceCommunications(db, options.organizationId, invoice.id),
  ]);
  const balanceMinor = invoice.total_minor - invoice.paid_minor;
  return {
    invoice: {
      id: invoice.id,
      number: invoice.number,
      status: invoice.status,
      currency: invoice.currency,
      balanceMinor,
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
    },
    customer: {
      id: customer.id,
      name: customer.name,
      timeZone: customer.time_zone,
      country: customer.country,
      locale: customer.locale,
    },
    policy: policyRow ? { id: policyRow.id, name: policyRow.name } : null,
    preview: policyRow
      ? previewSchedule({
          policy: toReminderPolicy(policyRow),
          issueDate: invoice.issue_date,
          dueDate: invoice.due_date,
          timeZone: customer.time_zone,
          country: customer.country,
          // The workflow times its steps with the invoice id, so the preview shows the same minute.
          jitterKey: invoice.id,
          locale: customer.locale,
          balanceMinor,
          now: options.now.getTime(),
        })
      : null,
    messages: messages.map(toRecordedMessage),
  };
}
