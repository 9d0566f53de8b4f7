import { randomBytes } from 'node:crypto';
import { type DbOrTx, findActiveApiKeyByHash, insertApiKey } from '@settle/db';
import { hashToken } from '../hash-token';

const PREFIX = 'sk_live_';

/** Creates an API key for one organization; the secret is returned once and stored only hashed. */
export async function createApiKey(
  db: DbOrTx,
  options: { organizationId: string; name: string; secret?: string },
): Promise<{ id: string; key: string }> {
  const key = options.secret ?? `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const row = await insertApiKey(db, {
    organization_id: options.organizationId,
    name: options.name,
    prefix: key.slice(0, 12),
    key_hash: hashToken(key),
  });
  return { id: row.id, key };
}

/** The organization an API key belongs to, or undefined for an unknown or revoked key. */
export async function authenticateApiKey(
  db: DbOrTx,
  key: string,
): Promise<{ organizationId: string; keyId: string } | undefined> {
  const row = await findActiveApiKeyByHash(db, hashToken(key));
  return row ? { organizationId: row.organization_id, keyId: row.id } : undefined;
}
