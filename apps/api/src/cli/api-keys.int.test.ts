import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { databaseEnv, loadConfig } from '@settle/config';
import { authenticateApiKey } from '@settle/core';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./api-keys.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(loadConfig(databaseEnv).DATABASE_URL);
});
afterAll(() => testDb?.drop());

async function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [script, ...args], {
      env: { ...process.env, DATABASE_URL: testDb.url },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('keys CLI', () => {
  it('creates a key shown once that authenticates, lists it without the secret, and revokes it', async () => {
    const { organization } = await seedTenant(testDb.db);
    const created = await keys('create', '--org', organization.slug, '--name', 'ERP');
    expect(created.code).toBe(0);
    const key = created.stdout.match(/^sk_live_\S+$/m)?.[0];
    expect(key).toBeDefined();
    const auth = await authenticateApiKey(testDb.db, { key: key ?? '' });
    expect(auth?.organizationId).toBe(organization.id);

    const listed = await keys('list', '--org', organization.slug);
    expect(listed.stdout).toContain(`${auth?.keyId}`);
    expect(listed.stdout).toContain('ERP');
    expect(listed.stdout).toContain('active');
    expect(listed.stdout).not.toContain(key ?? '');

    const revoked = await keys('revoke', auth?.keyId ?? '');
    expect(revoked.stdout).toMatch(/revoked API key/);
    expect(await authenticateApiKey(testDb.db, { key: key ?? '' })).toBeUndefined();
  });

  it('refuses an unknown organization or a missing name with usage, exit code 2, and creates nothing', async () => {
    const { organization } = await seedTenant(testDb.db);
    const unknown = await keys('create', '--org', 'no-such-org', '--name', 'ERP');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no organization with slug "no-such-org"/);
    const nameless = await keys('create', '--org', organization.slug);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toMatch(/usage:/);
    const rows = await testDb.db
      .selectFrom('api_keys')
      .select('id')
      .where('organization_id', '=', organization.id)
      .execute();
    expect(rows).toHaveLength(0);
  });
});
