import { type Db, listCustomerDisputeHistory, listCustomerInvoiceHistory } from '@settle/db';
import { daysBetween, localDateOf } from '@settle/domain';

export interface CustomerRisk {
  /** Paid invoices considered (the last 24 at most), newest first. */
  paidInvoices: {
    number: string;
    issueDate: string;
    dueDate: string;
    paidOn: string;
    daysToPay: number;
    daysLate: number;
  }[];
  averageDaysToPay: number | null;
  averageDaysLate: number | null;
  /** Share of paid invoices paid after their due date, 0..1. */
  lateShare: number | null;
  openDisputes: number;
  disputesLastYear: number;
  /** A plain label for the console: `low`, `medium`, `high`, or `unknown` without a payment history. */
  level: 'low' | 'medium' | 'high' | 'unknown';
}

/**
 * How reliably a customer pays: days from issue to full payment and days past due of its recent paid
 * invoices, and its disputes. Finance reads it when setting a credit limit.
 */
export async function getCustomerRisk(
  db: Db,
  options: { organizationId: string; customerId: string; timeZone: string; now?: Date },
): Promise<CustomerRisk> {
  const [invoices, disputes] = await Promise.all([
    listCustomerInvoiceHistory(db, options.organizationId, options.customerId),
    listCustomerDisputeHistory(db, options.organizationId, options.customerId),
  ]);
  const paidInvoices = invoices
    .filter((invoice) => invoice.status === 'paid' && invoice.paid_at)
    .slice(0, 24)
    .map((invoice) => {
      const paidOn = localDateOf((invoice.paid_at as Date).getTime(), options.timeZone);
      return {
        number: invoice.number,
        issueDate: invoice.issue_date,
        dueDate: invoice.due_date,
        paidOn,
        daysToPay: Math.max(0, daysBetween(invoice.issue_date, paidOn)),
        daysLate: Math.max(0, daysBetween(invoice.due_date, paidOn)),
      };
    });
  const average = (values: number[]) =>
    values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
  const averageDaysLate = average(paidInvoices.map((p) => p.daysLate));
  const lateShare =
    paidInvoices.length === 0
      ? null
      : paidInvoices.filter((p) => p.daysLate > 0).length / paidInvoices.length;
  const now = options.now ?? new Date();
  const openDisputes = disputes.filter((d) => d.status === 'open').length;
  const disputesLastYear = disputes.filter(
    (d) => now.getTime() - d.opened_at.getTime() < 365 * 86_400_000,
  ).length;
  // Thresholds a credit controller would start from: paying within a week of the due date is fine,
  // a month late or repeated disputes are a warning.
  const level: CustomerRisk['level'] =
    averageDaysLate === null
      ? 'unknown'
      : averageDaysLate > 30 || disputesLastYear >= 3
        ? 'high'
        : averageDaysLate > 7 || openDisputes > 0
          ? 'medium'
          : 'low';
  return {
    paidInvoices,
    averageDaysToPay: average(paidInvoices.map((p) => p.daysToPay)),
    averageDaysLate,
    lateShare,
    openDisputes,
    disputesLastYear,
    level,
  };
}
