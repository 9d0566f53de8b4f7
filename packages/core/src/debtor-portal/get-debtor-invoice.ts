import {
  type Customer,
  type DbOrTx,
  findActivePromise,
  getCustomer,
  getInvoice,
  getOrganization,
  type Invoice,
  listDisputeAttachments,
  listInvoiceCommunications,
  listInvoiceDisputes,
  listInvoiceLines,
  listInvoicePayments,
  type Organization,
  resolveReminderPolicy,
} from '@settle/db';
import { daysOverdue, isUuid, localDateOf, type StatutoryLateCharges } from '@settle/domain';
import { AppError } from '../errors';
import { toReminderPolicy } from '../policy/reminder-policy-rows';
import { lateChargesForInvoice } from '../reminders/late-charges-for-invoice';
import { type Creditor, creditorOf } from './creditor';
import { type DebtorInvoiceStatus, debtorInvoiceStatus } from './debtor-invoice-status';

export interface DebtorInvoice {
  today: string;
  creditor: Creditor;
  customer: { name: string; code: string; addressLines: string[]; vatNumber: string | null };
  invoice: {
    id: string;
    number: string;
    currency: string;
    totalMinor: number;
    paidMinor: number;
    balanceMinor: number;
    issueDate: string;
    dueDate: string;
    status: DebtorInvoiceStatus;
    daysOverdue: number;
    promisedDate: string | null;
    isOpen: boolean;
  };
  lines: {
    position: number;
    description: string;
    quantityMilli: number;
    unitPriceMinor: number;
    taxRateBasisPoints: number;
    totalMinor: number;
  }[];
  payments: { id: string; receivedAt: Date; amountMinor: number; method: string; status: string }[];
  /** Messages sent about this invoice: what went out, never what is planned next. */
  timeline: { id: string; channel: string; subject: string | null; sentAt: Date }[];
  /**
   * Statutory late charges with their calculation, for an open overdue invoice whose policy claims
   * them; null otherwise, or while a rate they need is not on record.
   */
  lateCharges: StatutoryLateCharges | null;
  disputes: {
    id: string;
    reason: string;
    message: string;
    status: 'open' | 'upheld' | 'rejected';
    resolutionNote: string | null;
    openedAt: Date;
    resolvedAt: Date | null;
    attachments: { id: string; filename: string; sizeBytes: number }[];
  }[];
}

const notFound = (invoiceId: string) =>
  new AppError('NOT_FOUND', `invoice ${invoiceId} not found for this customer`, {
    userMessage: 'Invoice not found.',
  });

/** The charges the debtor's page states; a missing rate hides them there rather than failing the page. */
async function debtorLateCharges(
  db: DbOrTx,
  input: { organization: Organization; customer: Customer; invoice: Invoice; asOf: string },
): Promise<StatutoryLateCharges | null> {
  const policy = await resolveReminderPolicy(db, input.customer);
  if (!policy) return null;
  try {
    return await lateChargesForInvoice(db, { ...input, policy: toReminderPolicy(policy) });
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAVAILABLE') return null;
    throw error;
  }
}

/** One invoice as its debtor sees it. Another customer's invoice is NOT_FOUND, never FORBIDDEN. */
export async function getDebtorInvoice(
  db: DbOrTx,
  options: { organizationId: string; customerId: string; invoiceId: string; now: Date },
): Promise<DebtorInvoice> {
  const { organizationId, customerId, invoiceId } = options;
  if (!isUuid(invoiceId)) throw notFound(invoiceId);
  const invoice = await getInvoice(db, organizationId, invoiceId);
  if (!invoice || invoice.customer_id !== customerId) throw notFound(invoiceId);
  const [organization, customer, lines, payments, communications, disputes, promise] = await Promise.all([
    getOrganization(db, organizationId),
    getCustomer(db, organizationId, customerId),
    listInvoiceLines(db, organizationId, invoiceId),
    listInvoicePayments(db, organizationId, invoiceId),
    listInvoiceCommunications(db, organizationId, invoiceId),
    listInvoiceDisputes(db, organizationId, invoiceId),
    findActivePromise(db, organizationId, invoiceId),
  ]);
  if (!organization || !customer) throw notFound(invoiceId);
  const attachments = await listDisputeAttachments(
    db,
    organizationId,
    disputes.map((d) => d.id),
  );
  const today = localDateOf(options.now.getTime(), customer.time_zone);
  const promisedDate = promise?.promised_date ?? null;
  const lateCharges =
    invoice.status === 'open' && daysOverdue(invoice.due_date, today) > 0
      ? await debtorLateCharges(db, { organization, customer, invoice, asOf: today })
      : null;
  return {
    lateCharges,
    today,
    creditor: creditorOf(organization),
    customer: {
      name: customer.name,
      code: customer.code,
      addressLines: [
        customer.address_line1,
        customer.address_line2,
        [customer.postal_code, customer.city].filter(Boolean).join(' '),
        customer.country,
      ].filter((line): line is string => Boolean(line)),
      vatNumber: customer.vat_number,
    },
    invoice: {
      id: invoice.id,
      number: invoice.number,
      currency: invoice.currency,
      totalMinor: invoice.total_minor,
      paidMinor: invoice.paid_minor,
      balanceMinor: invoice.total_minor - invoice.paid_minor,
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      status: debtorInvoiceStatus(invoice, {
        today,
        disputed: disputes.some((d) => d.status === 'open'),
        promisedDate,
      }),
      daysOverdue: invoice.status === 'open' ? daysOverdue(invoice.due_date, today) : 0,
      promisedDate,
      isOpen: invoice.status === 'open',
    },
    lines: lines.map((line) => ({
      position: line.position,
      description: line.description,
      quantityMilli: line.quantity_milli,
      unitPriceMinor: line.unit_price_minor,
      taxRateBasisPoints: line.tax_rate_basis_points,
      totalMinor: line.total_minor,
    })),
    payments: payments.map((p) => ({
      id: p.id,
      receivedAt: p.received_at,
      amountMinor: p.allocated_minor,
      method: p.method,
      status: p.status,
    })),
    timeline: communications
      .filter((c) => c.status === 'sent' && c.sent_at !== null)
      .map((c) => ({ id: c.id, channel: c.channel, subject: c.subject, sentAt: c.sent_at ?? c.created_at })),
    disputes: disputes.map((d) => ({
      id: d.id,
      reason: d.reason,
      message: d.message,
      status: d.status,
      resolutionNote: d.resolution_note,
      openedAt: d.opened_at,
      resolvedAt: d.resolved_at,
      attachments: attachments
        .filter((a) => a.dispute_id === d.id)
        .map((a) => ({ id: a.id, filename: a.filename, sizeBytes: a.size_bytes })),
    })),
  };
}
