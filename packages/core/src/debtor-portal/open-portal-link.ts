import { type DbOrTx, touchPortalLink } from '@settle/db';
import { checkPortalToken, type PortalLinkCheck } from './portal-links';

/**
 * A debtor opens a link from a message. Nothing is consumed (mail scanners open links too, and the link
 * keeps working until it expires); a valid link only records when it was last used, for finance.
 */
export async function openPortalLink(
  db: DbOrTx,
  options: { token: string; now: Date },
): Promise<PortalLinkCheck> {
  const check = await checkPortalToken(db, options);
  if (check.status === 'valid') await touchPortalLink(db, check.organizationId, check.linkId, options.now);
  return check;
}
