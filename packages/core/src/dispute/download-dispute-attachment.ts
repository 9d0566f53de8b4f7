import { type Db, type DisputeAttachment, getDisputeAttachment } from '@settle/db';

/** A dispute attachment for staff of its organization, or null (another tenant's id finds nothing). */
export async function downloadDisputeAttachment(
  deps: { db: Db },
  input: { organizationId: string; attachmentId: string },
): Promise<DisputeAttachment | null> {
  return (await getDisputeAttachment(deps.db, input.organizationId, input.attachmentId)) ?? null;
}
