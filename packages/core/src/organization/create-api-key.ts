import { randomBytes } from 'node:crypto';
import { type DbOrTx, insertApiKey } from '@settle/db';
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
