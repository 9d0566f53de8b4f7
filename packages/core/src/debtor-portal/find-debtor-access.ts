import { type DbOrTx, getCustomer, getPortalLink } from '@settle/db';

/** Who a debtor session speaks for. */
export interface DebtorAccess {
  organizationId: string;
  customerId: string;
  /** The customer's locale on file (the portal may show another language on request). */
  customerLocale: string;
}

/**
 * Re-checks a debtor session against the link that opened it, on every request: revoking or expiring
 * the link ends the sessions it opened at once, and a session never reaches another customer.
 */
export async function findDebtorAccess(
  db: DbOrTx,
  options: { organizationId: string; customerId: string; linkId: string; now: Date },
): Promise<DebtorAccess | null> {
  const link = await getPortalLink(db, options.organizationId, options.linkId);
  if (!link || link.customer_id !== options.customerId) return null;
  if (link.revoked_at || link.expires_at <= options.now) return null;
  const customer = await getCustomer(db, options.organizationId, options.customerId);
  if (!customer) return null;
  return { organizationId: link.organization_id, customerId: customer.id, customerLocale: customer.locale };
}
