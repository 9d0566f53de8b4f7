import { parseArgs } from 'node:util';
import { databaseEnv, loadConfigOrExit } from '@settle/config';
import { createApiKey } from '@settle/core';
import {
  createDb,
  type Db,
  findApiKeyById,
  findOrganizationBySlug,
  listApiKeys,
  revokeApiKey,
} from '@settle/db';
import { isUuid } from '@settle/domain';

/**
 * Operator CLI for integration API keys:
 *   keys create --org <slug> --name <name>   prints the new key once (only its hash is stored)
 *   keys list --org <slug>
 *   keys revoke <key id>
 */

const USAGE = `usage:
  keys create --org <organization slug> --name <name>
  keys list --org <organization slug>
  keys revoke <key id>`;

class UsageError extends Error {}

async function organizationId(db: Db, slug: string | undefined): Promise<string> {
  if (!slug) throw new UsageError('--org <organization slug> is required');
  const organization = await findOrganizationBySlug(db, slug);
  if (!organization) throw new UsageError(`no organization with slug "${slug}"`);
  return organization.id;
}

async function run(db: Db, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { org: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  switch (command) {
    case 'create': {
      const orgId = await organizationId(db, values.org);
      const name = values.name?.trim();
      if (!name) throw new UsageError('--name <name> is required (say which integration uses the key)');
      const key = await createApiKey(db, { organizationId: orgId, name });
      console.log(`created API key ${key.id} "${name}" for ${values.org}`);
      console.log('the key is shown once; store it now:');
      console.log(key.key);
      return;
    }
    case 'list': {
      const keys = await listApiKeys(db, await organizationId(db, values.org));
      if (keys.length === 0) console.log('no API keys');
      for (const key of keys) {
        const state = key.revoked_at ? `revoked ${key.revoked_at.toISOString()}` : 'active';
        const used = key.last_used_at ? `last used ${key.last_used_at.toISOString()}` : 'never used';
        console.log(
          `${key.id}  ${key.prefix}…  ${key.name}  created ${key.created_at.toISOString()}  ${used}  ${state}`,
        );
      }
      return;
    }
    case 'revoke': {
      const id = rest[0];
      if (!id || !isUuid(id)) throw new UsageError('revoke needs a key id (see keys list)');
      const key = await findApiKeyById(db, id);
      if (!key) throw new UsageError(`no API key ${id}`);
      const revoked = await revokeApiKey(db, key.organization_id, id, new Date());
      console.log(revoked ? `revoked API key ${id} "${key.name}"` : `API key ${id} was already revoked`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  }
}

const config = loadConfigOrExit(databaseEnv);
const db = createDb({
  connectionString: config.DATABASE_URL,
  maxConnections: 1,
  applicationName: 'api-keys',
});
try {
  await run(db, process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
