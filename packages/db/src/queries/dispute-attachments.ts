import type { DbOrTx } from '../client';
import type { DisputeAttachment, DisputeAttachmentInfo, NewDisputeAttachment } from '../schema';

export async function insertDisputeAttachment(
  db: DbOrTx,
  values: NewDisputeAttachment,
): Promise<DisputeAttachmentInfo> {
  return db
    .insertInto('dispute_attachments')
    .values(values)
    .returning(['id', 'dispute_id', 'filename', 'content_type', 'size_bytes', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** One attachment with its content, for finance (or the debtor who sent it) to download. */
export async function getDisputeAttachment(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<DisputeAttachment | undefined> {
  return db
    .selectFrom('dispute_attachments')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The attachments of some disputes, without their content. */
export async function listDisputeAttachments(
  db: DbOrTx,
  organizationId: string,
  disputeIds: string[],
): Promise<DisputeAttachmentInfo[]> {
  if (disputeIds.length === 0) return [];
  return db
    .selectFrom('dispute_attachments')
    .select(['id', 'dispute_id', 'filename', 'content_type', 'size_bytes', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('dispute_id', 'in', disputeIds)
    .orderBy('created_at')
    .execute();
}
