import { type AuditEntry, appendAuditLog, type Db, getCustomer, inTransaction } from '@settle/db';
import { AppError } from '../errors';
import { createPortalLink } from './portal-links';

/** Finance creates a portal link for a customer; the URL is returned once (only its hash is kept). */
export async function issueCustomerPortalLink(
  db: Db,
  input: {
    organizationId: string;
    customerId: string;
    baseUrl: string;
    actor: AuditEntry['actor'];
    now?: Date;
  },
): Promise<{ url: string; expiresAt: Date }> {
  return inTransaction(db, async (tx) => {
    const customer = await getCustomer(tx, input.organizationId, input.customerId);
    if (!customer) {
      throw new AppError('NOT_FOUND', `customer ${input.customerId} not found`, {
        userMessage: 'Customer not found.',
      });
    }
    const link = await createPortalLink(tx, {
      organizationId: input.organizationId,
      customerId: customer.id,
      baseUrl: input.baseUrl,
      now: input.now ?? new Date(),
    });
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'portal_link.created',
      subject: { type: 'customer', id: customer.id },
      data: { expiresAt: link.expiresAt.toISOString() },
    });
    return { url: link.url, expiresAt: link.expiresAt };
  });
}
