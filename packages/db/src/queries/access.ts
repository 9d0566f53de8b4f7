import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx } from '../client';
import type { ApiKey, ApiKeysTable, SessionsTable, User, UsersTable } from '../schema';

/** Staff users, their sessions and API keys: everything that grants access. Secrets arrive hashed. */

export async function insertUser(db: DbOrTx, values: Insertable<UsersTable>): Promise<User> {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: DbOrTx, email: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function insertSession(
  db: DbOrTx,
  values: Insertable<SessionsTable>,
): Promise<Selectable<SessionsTable>> {
  return db.insertInto('sessions').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findLiveSessionByTokenHash(
  db: DbOrTx,
  tokenHash: string,
  now: Date,
): Promise<Selectable<SessionsTable> | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function insertApiKey(db: DbOrTx, values: Insertable<ApiKeysTable>): Promise<ApiKey> {
  return db.insertInto('api_keys').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findActiveApiKeyByHash(db: DbOrTx, keyHash: string): Promise<ApiKey | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeApiKey(
  db: DbOrTx,
  organizationId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
