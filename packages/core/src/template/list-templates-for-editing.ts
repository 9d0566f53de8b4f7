import { type Db, listOpenInvoicesForPreview, listTemplates as listTemplateRows } from '@settle/db';

/** The template editor's page: every template of the organization, and open invoices to preview them with. */
export async function listTemplatesForEditing(deps: { db: Db }, input: { organizationId: string }) {
  const [templates, previewInvoices] = await Promise.all([
    listTemplateRows(deps.db, input.organizationId),
    listOpenInvoicesForPreview(deps.db, input.organizationId),
  ]);
  return { templates, previewInvoices };
}
