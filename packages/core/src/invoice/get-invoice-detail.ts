import {
  type Db,
  getCustomer,
  getInvoice,
  listDocumentIdsByCommunication,
  listInvoiceCommunications,
} from '@settle/db';
import type { Client } from '@temporalio/client';
import { previewInvoiceSchedule } from '../reminders/preview-invoice-schedule';
import { getInvoiceTimeline } from './get-invoice-timeline';
import { getInvoiceWorkflowPlan } from './get-invoice-workflow-plan';

/**
 * An invoice's page in the console: the invoice and its customer, its timeline, the messages about it
 * (with the letter PDFs generated for them), what its workflow plans and the schedule its policy gives;
 * null when the organization has no such invoice.
 */
export async function getInvoiceDetail(
  deps: { db: Db; temporal: Client },
  input: { organizationId: string; invoiceId: string; now: Date },
) {
  const { organizationId, invoiceId } = input;
  const invoice = await getInvoice(deps.db, organizationId, invoiceId);
  if (!invoice) return null;
  const [customer, timeline, messages, documents, plan, schedule] = await Promise.all([
    getCustomer(deps.db, organizationId, invoice.customer_id),
    getInvoiceTimeline(deps.db, { organizationId, invoiceId }),
    listInvoiceCommunications(deps.db, organizationId, invoiceId),
    listDocumentIdsByCommunication(deps.db, organizationId),
    getInvoiceWorkflowPlan({ temporal: deps.temporal }, { invoiceId }),
    previewInvoiceSchedule(deps.db, { organizationId, invoiceId, now: input.now }),
  ]);
  return { invoice, customer, timeline, messages, documents, plan, schedule };
}
