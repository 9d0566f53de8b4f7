import { type Db, listDisputeAttachments, listOpenDisputesQueue } from '@settle/db';

/** Finance's dispute queue: the open disputes, oldest first, with the files the debtors attached. */
export async function listOpenDisputes(deps: { db: Db }, input: { organizationId: string }) {
  const disputes = await listOpenDisputesQueue(deps.db, input.organizationId);
  const attachments = await listDisputeAttachments(
    deps.db,
    input.organizationId,
    disputes.map((dispute) => dispute.id),
  );
  return { disputes, attachments };
}
