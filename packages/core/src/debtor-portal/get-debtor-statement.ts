import {
  type DbOrTx,
  getCustomer,
  getOrganization,
  type Invoice,
  listActivePromises,
  listCustomerInvoices,
  listCustomerPayments,
  listDebtorDisputes,
  resolveReminderPolicy,
} from '@settle/db';
import { addDays, daysOverdue, localDateOf, type Money, sumByCurrency } from '@settle/domain';
import { AppError } from '../errors';
import { type Creditor, creditorOf } from './creditor';
import { type DebtorInvoiceStatus, debtorInvoiceStatus, isPayableInPortal } from './debtor-invoice-status';

export interface DebtorInvoiceSummary {
  id: string;
  number: string;
  currency: string;
  totalMinor: number;
  balanceMinor: number;
  issueDate: string;
  dueDate: string;
  status: DebtorInvoiceStatus;
  daysOverdue: number;
  promisedDate: string | null;
  /** Whether the portal offers to pay it now (see {@link isPayableInPortal}). */
  isPayable: boolean;
}

export interface DebtorStatement {
  today: string;
  creditor: Creditor;
  customer: { name: string; code: string; email: string | null };
  totals: { currency: string; dueMinor: number; overdueMinor: number }[];
  openInvoices: DebtorInvoiceSummary[];
  recentPayments: {
    id: string;
    receivedAt: Date;
    amountMinor: number;
    currency: string;
    method: string;
    status: string;
    invoiceNumbers: string[];
  }[];
  disputes: {
    id: string;
    invoiceId: string;
    invoiceNumber: string;
    reason: string;
    message: string;
    status: 'open' | 'upheld' | 'rejected';
    resolutionNote: string | null;
    openedAt: Date;
    resolvedAt: Date | null;
  }[];
  /** The latest date a promise to pay may name. */
  maxPromiseDate: string;
  maxPromiseDays: number;
}

const OWED: ReadonlySet<Invoice['status']> = new Set(['open', 'in_collections']);

/** Everything the statement page shows a debtor, for its own customer only. */
export async function getDebtorStatement(
  db: DbOrTx,
  options: { organizationId: string; customerId: string; now: Date },
): Promise<DebtorStatement> {
  const { organizationId, customerId } = options;
  const [organization, customer] = await Promise.all([
    getOrganization(db, organizationId),
    getCustomer(db, organizationId, customerId),
  ]);
  if (!organization || !customer) throw new AppError('NOT_FOUND', `customer ${customerId} not found`);
  const today = localDateOf(options.now.getTime(), customer.time_zone);
  const [invoices, payments, disputes, promises, policy] = await Promise.all([
    listCustomerInvoices(db, organizationId, customerId),
    listCustomerPayments(db, organizationId, customerId, 10),
    listDebtorDisputes(db, organizationId, customerId),
    listActivePromises(db, organizationId, customerId),
    resolveReminderPolicy(db, customer),
  ]);
  const openDisputes = new Set(disputes.filter((d) => d.status === 'open').map((d) => d.invoice_id));
  const promised = new Map(promises.map((p) => [p.invoice_id, p.promised_date]));
  const owed = invoices.filter((invoice) => OWED.has(invoice.status));
  const openInvoices = owed.map((invoice): DebtorInvoiceSummary => {
    const promisedDate = promised.get(invoice.id) ?? null;
    return {
      id: invoice.id,
      number: invoice.number,
      currency: invoice.currency,
      totalMinor: invoice.total_minor,
      balanceMinor: invoice.total_minor - invoice.paid_minor,
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      status: debtorInvoiceStatus(invoice, { today, disputed: openDisputes.has(invoice.id), promisedDate }),
      daysOverdue: daysOverdue(invoice.due_date, today),
      promisedDate,
      isPayable: isPayableInPortal(invoice),
    };
  });
  const due = sumByCurrency(
    openInvoices.map((i): Money => ({ amountMinor: i.balanceMinor, currency: i.currency })),
  );
  const overdue = new Map(
    sumByCurrency(
      openInvoices
        .filter((i) => i.daysOverdue > 0)
        .map((i): Money => ({ amountMinor: i.balanceMinor, currency: i.currency })),
    ).map((m) => [m.currency, m.amountMinor]),
  );
  const maxPromiseDays = policy?.max_promise_days ?? 30;
  return {
    today,
    creditor: creditorOf(organization),
    customer: { name: customer.name, code: customer.code, email: customer.email },
    totals: due.map((m) => ({
      currency: m.currency,
      dueMinor: m.amountMinor,
      overdueMinor: overdue.get(m.currency) ?? 0,
    })),
    openInvoices,
    recentPayments: payments.map((p) => ({
      id: p.id,
      receivedAt: p.received_at,
      amountMinor: p.amount_minor,
      currency: p.currency,
      method: p.method,
      status: p.status,
      invoiceNumbers: p.invoice_numbers,
    })),
    disputes: disputes.map((d) => ({
      id: d.id,
      invoiceId: d.invoice_id,
      invoiceNumber: d.invoice_number,
      reason: d.reason,
      message: d.message,
      status: d.status,
      resolutionNote: d.resolution_note,
      openedAt: d.opened_at,
      resolvedAt: d.resolved_at,
    })),
    maxPromiseDate: addDays(today, maxPromiseDays),
    maxPromiseDays,
  };
}
