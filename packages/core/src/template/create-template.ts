import { type AuditEntry, type Db, inTransaction, type Template } from '@settle/db';
import { type TemplateFields, writeTemplate } from './write-template';

export type CreateTemplateInput = TemplateFields & { actor: AuditEntry['actor'] };

/**
 * Creates an organization's template for a key, channel and locale, or replaces the one it has: a
 * template is addressed by the three, and both the API's POST and the console's save mean "this is
 * the text from now on". Validated (every bad field named, nothing written) and audited in one
 * transaction.
 */
export async function createTemplate(deps: { db: Db }, input: CreateTemplateInput): Promise<Template> {
  const { actor, ...fields } = input;
  return inTransaction(deps.db, (tx) => writeTemplate(tx, fields, actor));
}
