import { type DbOrTx, findActiveApiKeyByHash } from '@settle/db';
import { hashToken } from '../hash-token';

/** The organization an API key belongs to, or undefined for an unknown or revoked key. */
export async function authenticateApiKey(
  db: DbOrTx,
  input: { key: string },
): Promise<{ organizationId: string; keyId: string } | undefined> {
  const row = await findActiveApiKeyByHash(db, hashToken(input.key));
  return row ? { organizationId: row.organization_id, keyId: row.id } : undefined;
}
