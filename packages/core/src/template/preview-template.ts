import type { DbOrTx } from '@settle/db';
import { renderTemplate, TemplateError, validateTemplate } from '@settle/domain';
import { AppError } from '../errors';
import { loadReminderContext } from '../reminders/reminder-context';
import { reminderMessageValues } from '../reminders/render-reminder-message';

export type TemplatePreview =
  | { ok: true; subject: string; text: string; locale: string; invoiceNumber: string }
  | { ok: false; errors: { field: 'subject' | 'body'; message: string }[] };

/**
 * Renders an unsaved template against a real invoice through the worker's own path
 * (`reminderMessageValues`: the same rows, the customer's policy and late charges, today's date in
 * its time zone), so finance sees the message that would go out. The portal link is a placeholder:
 * a preview creates no link. Nothing is written.
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
    now?: Date;
  },
): Promise<TemplatePreview> {
  const validation = validateTemplate({ subject: input.subject, body: input.body });
  if (!validation.ok) {
    return { ok: false, errors: validation.errors.map((e) => ({ field: e.field, message: e.message })) };
  }
  const context = await loadReminderContext(db, input.invoiceId, {
    lock: false,
    organizationId: input.organizationId,
  });
  if (!context) {
    throw new AppError('NOT_FOUND', `invoice ${input.invoiceId} not found`, {
      userMessage: 'Invoice not found.',
    });
  }
  const { invoice } = context;
  const locale = input.locale ?? context.customer.locale;
  // The same variables the worker fills for a message about this invoice today, but in the
  // template's language; only the portal link is a placeholder (a preview creates no link).
  const values = await reminderMessageValues(db, {
    organization: context.organization,
    customer: { ...context.customer, locale },
    invoices: [invoice],
    policy: context.policy,
    now: input.now ?? new Date(),
    portalUrl: new URL('/p/preview', input.portalBaseUrl).toString(),
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
