import { type AuditEntry, type Db, getTemplate, inTransaction, type Template } from '@settle/db';
import { AppError } from '../errors';
import { writeTemplate } from './write-template';

/**
 * Changes a template's subject or body (its key, channel and locale stay), validated and audited as
 * `createTemplate` does, in one transaction. Another organization's template is NOT_FOUND.
 */
export async function updateTemplate(
  deps: { db: Db },
  input: {
    organizationId: string;
    templateId: string;
    changes: { subject?: string; body?: string };
    actor: AuditEntry['actor'];
  },
): Promise<Template> {
  return inTransaction(deps.db, async (tx) => {
    const existing = await getTemplate(tx, input.organizationId, input.templateId);
    if (!existing) {
      throw new AppError('NOT_FOUND', `template ${input.templateId} not found`, {
        userMessage: 'Template not found.',
      });
    }
    return writeTemplate(
      tx,
      {
        organizationId: input.organizationId,
        key: existing.key,
        channel: existing.channel,
        locale: existing.locale,
        subject: input.changes.subject ?? existing.subject,
        body: input.changes.body ?? existing.body,
      },
      input.actor,
    );
  });
}
