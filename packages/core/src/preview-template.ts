import type { DbOrTx } from '@settle/db';
import {
  computeLateCharges,
  localDateOf,
  renderTemplate,
  TemplateError,
  validateTemplate,
} from '@settle/domain';
import { AppError } from './errors';
import { templateValuesFor } from './template-values';

export type TemplatePreview =
  | { ok: true; subject: string; text: string; locale: string; invoiceNumber: string }
  | { ok: false; errors: { field: 'subject' | 'body'; message: string }[] };

/**
 * Renders an unsaved template against a real invoice the way the worker renders a reminder (same
 * variables, the customer's locale and today's date in its time zone), so finance sees the message
 * before saving. The portal link is a placeholder: a preview creates no link. Nothing is written.
 */
export async function previewTemplate(
  db: DbOrTx,
  input: {
    organizationId: string;
    invoiceId: string;
    subject: string;
    body: string;
    /** Render in this locale instead of the customer's (the template being edited). */
    locale?: string;
    portalBaseUrl: string;
    referenceRateBasisPoints: number;
    now?: Date;
  },
): Promise<TemplatePreview> {
  const validation = validateTemplate({ subject: input.subject, body: input.body });
  if (!validation.ok) {
    return { ok: false, errors: validation.errors.map((e) => ({ field: e.field, message: e.message })) };
  }
  const invoice = await db
    .selectFrom('invoices')
    .selectAll()
    .where('organization_id', '=', input.organizationId)
    .where('id', '=', input.invoiceId)
    .executeTakeFirst();
  if (!invoice) {
    throw new AppError('NOT_FOUND', `invoice ${input.invoiceId} not found`, {
      userMessage: 'Invoice not found.',
    });
  }
  const [customer, organization, open] = await Promise.all([
    db.selectFrom('customers').selectAll().where('id', '=', invoice.customer_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', invoice.organization_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('invoices')
      .selectAll()
      .where('organization_id', '=', invoice.organization_id)
      .where('customer_id', '=', invoice.customer_id)
      .where('status', '=', 'open')
      .execute(),
  ]);
  const locale = input.locale ?? customer.locale;
  const today = localDateOf((input.now ?? new Date()).getTime(), customer.time_zone);
  const balance = invoice.total_minor - invoice.paid_minor;
  const charges =
    today > invoice.due_date && balance > 0
      ? computeLateCharges({
          principal: { amountMinor: balance, currency: invoice.currency },
          dueDate: invoice.due_date,
          asOf: today,
          referenceRateBasisPoints: input.referenceRateBasisPoints,
        })
      : undefined;
  const values = templateValuesFor({
    organization,
    customer,
    locale: locale,
    today,
    portalUrl: new URL('/p/preview', input.portalBaseUrl).toString(),
    invoices: [invoice],
    customerInvoices: open,
    charges,
  });
  const errors: { field: 'subject' | 'body'; message: string }[] = [];
  const attempt = (field: 'subject' | 'body', text: string): string => {
    try {
      return renderTemplate(text, values);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      errors.push({ field, message: `${error.message} for invoice ${invoice.number}` });
      return '';
    }
  };
  const subject = input.subject ? attempt('subject', input.subject) : '';
  const text = attempt('body', input.body);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, subject, text, locale, invoiceNumber: invoice.number };
}
