import { type Db, type Document, getDocument } from '@settle/db';
import { isUuid } from '@settle/domain';

/** A generated document (a letter's PDF) for staff of its organization, or null for anything else. */
export async function downloadDocument(
  deps: { db: Db },
  input: { organizationId: string; documentId: string },
): Promise<Document | null> {
  if (!isUuid(input.documentId)) return null;
  return (await getDocument(deps.db, input.organizationId, input.documentId)) ?? null;
}
