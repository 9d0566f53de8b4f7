import { type AuditEntry, appendAuditLog, type Db, inTransaction, revokePortalLink } from '@settle/db';
import { AppError } from '../errors';

/** Revokes a customer's portal link at once: the next visit with it is refused. */
export async function revokeCustomerPortalLink(
  db: Db,
  input: { organizationId: string; linkId: string; actor: AuditEntry['actor']; now?: Date },
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const revoked = await revokePortalLink(tx, input.organizationId, input.linkId, input.now ?? new Date());
    if (!revoked) {
      throw new AppError('NOT_FOUND', `no live portal link ${input.linkId}`, {
        userMessage: 'No such link, or it is already revoked.',
      });
    }
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'portal_link.revoked',
      subject: { type: 'portal_link', id: input.linkId },
    });
  });
}
