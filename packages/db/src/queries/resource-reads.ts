import type { DbOrTx } from '../client';
import type { Dispute, Template } from '../schema';

/** Reads and replacements by id that the integration API needs; every one is scoped to a tenant. */

export async function getDispute(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<Dispute | undefined> {
  return db
    .selectFrom('disputes')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getTemplate(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<Template | undefined> {
  return db
    .selectFrom('templates')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Clears the organization's default policy flag (before another policy becomes the default). */
export async function clearDefaultReminderPolicy(
  db: DbOrTx,
  organizationId: string,
  exceptId?: string,
): Promise<void> {
  let query = db
    .updateTable('reminder_policies')
    .set({ is_default: false, updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('is_default', '=', true);
  if (exceptId) query = query.where('id', '!=', exceptId);
  await query.execute();
}

/** An organization's API keys, newest first (never the hash: only what identifies a key to people). */
export async function listApiKeys(db: DbOrTx, organizationId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** For the operator's CLI, which knows only a key's id; the row carries its tenant. */
export async function findApiKeyById(db: DbOrTx, id: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'organization_id', 'name', 'prefix', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Records that a key was used, at most once a minute per key so busy integrations do not write per request. */
export async function touchApiKey(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000))]),
    )
    .execute();
}
