import { randomBytes } from 'node:crypto';
import { type DbOrTx, findPortalLinkByTokenHash, insertPortalLink } from '@settle/db';
import { hashToken } from '../hash-token';

export const PORTAL_LINK_TTL_DAYS = 30;

/** Creates a 256-bit portal token bound to one customer; only its hash is stored. */
export async function createPortalLink(
  db: DbOrTx,
  options: { organizationId: string; customerId: string; baseUrl: string; now: Date; ttlDays?: number },
): Promise<{ url: string; token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(options.now.getTime() + (options.ttlDays ?? PORTAL_LINK_TTL_DAYS) * 86_400_000);
  await insertPortalLink(db, {
    organizationId: options.organizationId,
    customerId: options.customerId,
    tokenHash: hashToken(token),
    expiresAt,
  });
  return { url: new URL(`/p/${token}`, options.baseUrl).toString(), token, expiresAt };
}

export type PortalLinkCheck =
  | { status: 'valid'; organizationId: string; customerId: string; linkId: string }
  | { status: 'expired' | 'revoked' | 'unknown' };

/** Checks a token from a link; never consumes it (mail scanners pre-fetch links). */
export async function checkPortalToken(
  db: DbOrTx,
  input: { token: string; now: Date },
): Promise<PortalLinkCheck> {
  const link = await findPortalLinkByTokenHash(db, hashToken(input.token));
  if (!link) return { status: 'unknown' };
  if (link.revoked_at) return { status: 'revoked' };
  if (link.expires_at <= input.now) return { status: 'expired' };
  return {
    status: 'valid',
    organizationId: link.organization_id,
    customerId: link.customer_id,
    linkId: link.id,
  };
}
