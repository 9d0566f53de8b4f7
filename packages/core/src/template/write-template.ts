import { type AuditEntry, appendAuditLog, type DbOrTx, type Template, upsertTemplate } from '@settle/db';
import { CHANNELS, type Channel, SUPPORTED_LOCALES, validateTemplate } from '@settle/domain';
import { AppError } from '../errors';

/** A template's fields; within an organization it is addressed by its key, channel and locale. */
export interface TemplateFields {
  organizationId: string;
  key: string;
  channel: string;
  locale: string;
  subject: string;
  body: string;
}

/**
 * The one write of a template, under its create and its update: validated (an unknown variable or
 * broken braces is an error now, when someone can fix it, not a blank in a message sent weeks later),
 * stored (created, or replacing the template with the same key, channel and locale) and audited, in the
 * caller's transaction. The next message sent with it uses the new text (templates are read at send).
 */
export async function writeTemplate(
  tx: DbOrTx,
  input: TemplateFields,
  actor: AuditEntry['actor'],
): Promise<Template> {
  const details: { field: string; message: string }[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(input.key)) {
    details.push({ field: 'key', message: 'expected lowercase letters, digits and dashes' });
  }
  if (!(CHANNELS as readonly string[]).includes(input.channel)) {
    details.push({ field: 'channel', message: `expected one of ${CHANNELS.join(', ')}` });
  }
  if (!(SUPPORTED_LOCALES as readonly string[]).includes(input.locale)) {
    details.push({ field: 'locale', message: `expected one of ${SUPPORTED_LOCALES.join(', ')}` });
  }
  if (input.body.trim() === '') details.push({ field: 'body', message: 'must not be empty' });
  const validation = validateTemplate({ subject: input.subject, body: input.body });
  if (!validation.ok) {
    details.push(...validation.errors.map((e) => ({ field: e.field, message: e.message })));
  }
  if (details.length > 0) {
    throw new AppError(
      'VALIDATION',
      `template ${input.key} is invalid: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      {
        details,
      },
    );
  }
  const saved = await upsertTemplate(tx, {
    organization_id: input.organizationId,
    key: input.key,
    channel: input.channel as Channel,
    locale: input.locale,
    subject: input.subject,
    body: input.body,
  });
  await appendAuditLog(tx, {
    organizationId: input.organizationId,
    actor,
    action: 'template.saved',
    subject: { type: 'template', id: saved.id },
    data: { key: saved.key, channel: saved.channel, locale: saved.locale },
  });
  return saved;
}
