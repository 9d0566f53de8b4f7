import type { DbOrTx } from '../client';
import type { PortalLink } from '../schema';

/** Portal links are looked up by the hash of their token; the token itself is never stored. */
export async function insertPortalLink(
  db: DbOrTx,
  values: { organizationId: string; customerId: string; tokenHash: string; expiresAt: Date },
): Promise<PortalLink> {
  return db
    .insertInto('portal_links')
    .values({
      organization_id: values.organizationId,
      customer_id: values.customerId,
      token_hash: values.tokenHash,
      expires_at: values.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPortalLinkByTokenHash(
  db: DbOrTx,
  tokenHash: string,
): Promise<PortalLink | undefined> {
  return db.selectFrom('portal_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function revokePortalLink(
  db: DbOrTx,
  organizationId: string,
  id: string,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('portal_links')
    .set({ revoked_at: at })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
