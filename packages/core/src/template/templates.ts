import { type DbOrTx, type Template, upsertTemplate } from '@settle/db';
import { CHANNELS, type Channel, SUPPORTED_LOCALES, validateTemplate } from '@settle/domain';
import { AppError } from '../errors';

export interface SaveTemplateInput {
  organizationId: string;
  key: string;
  channel: string;
  locale: string;
  subject: string;
  body: string;
}

/**
 * Creates or replaces an organization's template after validating it: an unknown variable or broken
 * braces is an error now, when someone can fix it, not a blank in a message sent weeks later.
 */
export async function saveTemplate(db: DbOrTx, input: SaveTemplateInput): Promise<Template> {
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
  return upsertTemplate(db, {
    organization_id: input.organizationId,
    key: input.key,
    channel: input.channel as Channel,
    locale: input.locale,
    subject: input.subject,
    body: input.body,
  });
}
