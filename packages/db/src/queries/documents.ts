import type { DbOrTx } from '../client';
import type { Document } from '../schema';

/** Stores a message's document once; a retried activity gets the first one back. */
export async function insertDocumentOnce(
  db: DbOrTx,
  values: {
    organizationId: string;
    communicationId: string;
    kind: 'letter';
    filename: string;
    contentType: string;
    content: Buffer;
  },
): Promise<{ id: string }> {
  const inserted = await db
    .insertInto('documents')
    .values({
      organization_id: values.organizationId,
      communication_id: values.communicationId,
      kind: values.kind,
      filename: values.filename,
      content_type: values.contentType,
      content: values.content,
    })
    .onConflict((oc) => oc.columns(['communication_id', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted;
  return db
    .selectFrom('documents')
    .select('id')
    .where('communication_id', '=', values.communicationId)
    .where('kind', '=', values.kind)
    .executeTakeFirstOrThrow();
}

/** A document of one organization, or undefined (another tenant's id finds nothing). */
export async function getDocument(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<Document | undefined> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listDocumentIdsByCommunication(
  db: DbOrTx,
  organizationId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'communication_id'])
    .where('organization_id', '=', organizationId)
    .execute();
  return new Map(rows.map((r) => [r.communication_id, r.id]));
}
