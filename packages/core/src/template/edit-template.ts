import { type AuditEntry, appendAuditLog, type Db, inTransaction, type Template } from '@settle/db';
import { type SaveTemplateInput, saveTemplate } from './templates';

/**
 * A staff member saves a template from the console: validated as `saveTemplate` does, and audited in
 * the same transaction. The next message sent with it uses the new text (templates are read at send).
 */
export async function editTemplate(
  db: Db,
  input: SaveTemplateInput & { actor: AuditEntry['actor'] },
): Promise<Template> {
  const { actor, ...template } = input;
  return inTransaction(db, async (tx) => {
    const saved = await saveTemplate(tx, template);
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor,
      action: 'template.saved',
      subject: { type: 'template', id: saved.id },
      data: { key: saved.key, channel: saved.channel, locale: saved.locale },
    });
    return saved;
  });
}
