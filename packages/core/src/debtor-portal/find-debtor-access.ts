import { type DbOrTx, getCustomer, getPortalLink, touchPortalLink } from '@settle/db';
import { checkPortalToken, type PortalLinkCheck } from './portal-links';

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

/**
 * A debtor opens a link from a message. Nothing is consumed (mail scanners open links too, and the link
 * keeps working until it expires); a valid link only records when it was last used, for finance.
 */
export async function openPortalLink(
  db: DbOrTx,
  options: { token: string; now: Date },
): Promise<PortalLinkCheck> {
  const check = await checkPortalToken(db, options.token, options.now);
  if (check.status === 'valid') await touchPortalLink(db, check.organizationId, check.linkId, options.now);
  return check;
}
