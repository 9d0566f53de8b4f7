import type { Db, Template } from '@settle/db';
import { getTemplate } from '@settle/db';
import { AppError } from '../errors';
import { saveTemplate } from './templates';

/** Changes a template's subject or body (its key, channel and locale stay), validated as on save. */
export async function updateTemplate(
  deps: { db: Db },
  input: {
    organizationId: string;
    templateId: string;
    changes: { subject?: string; body?: string };
  },
): Promise<Template> {
  const existing = await getTemplate(deps.db, input.organizationId, input.templateId);
  if (!existing) {
    throw new AppError('NOT_FOUND', `template ${input.templateId} not found`, {
      userMessage: 'Template not found.',
    });
  }
  return saveTemplate(deps.db, {
    organizationId: input.organizationId,
    key: existing.key,
    channel: existing.channel,
    locale: existing.locale,
    subject: input.changes.subject ?? existing.subject,
    body: input.changes.body ?? existing.body,
  });
}
