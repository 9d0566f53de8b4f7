import { databaseEnv, loadConfig } from '@settle/config';
import { createDb } from '@settle/db';
import { createTestDatabase, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabase } from './check-database';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

describe('checkDatabase', () => {
  it('says up when PostgreSQL answers', async () => {
    expect(await checkDatabase({ db: testDb.db })).toEqual({ status: 'up' });
  });

  it('says down with a reason that never shows the connection string', async () => {
    const unreachable = createDb({
      connectionString: 'postgres://settle:secret-password@127.0.0.1:9/settle',
      maxConnections: 1,
    });
    try {
      const health = await checkDatabase({ db: unreachable });
      expect(health.status).toBe('down');
      expect(JSON.stringify(health)).not.toContain('secret-password');
    } finally {
      await unreachable.destroy();
    }
  });
});
