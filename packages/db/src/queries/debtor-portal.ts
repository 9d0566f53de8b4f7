import type { DbOrTx } from '../client';
import type { PortalLink } from '../schema';

/** Queries behind the debtor portal. Every one is scoped to one organization and one customer. */

export async function getPortalLink(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<PortalLink | undefined> {
  return db
    .selectFrom('portal_links')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
