import { databaseEnv, loadConfig } from '@settle/config';
import { findTemplate } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { saveTemplate } from './templates';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

describe('saveTemplate', () => {
  it('saves a template that uses only known variables', async () => {
    const { organization } = await seedTenant(testDb.db);
    const saved = await saveTemplate(testDb.db, {
      organizationId: organization.id,
      key: 'overdue',
      channel: 'email',
      locale: 'de',
      subject: 'Rechnung {{invoice.number}}',
      body: 'Guten Tag {{customer.name}}, bitte zahlen Sie {{invoice.balance}}: {{portal.url}}',
    });
    expect(saved.subject).toBe('Rechnung {{invoice.number}}');
  });

  it('refuses an unknown variable, naming it, and stores nothing', async () => {
    const { organization } = await seedTenant(testDb.db);
    const attempt = saveTemplate(testDb.db, {
      organizationId: organization.id,
      key: 'overdue',
      channel: 'email',
      locale: 'en',
      subject: 'Invoice {{invoice.number}}',
      body: 'Dear {{customer.nmae}}, please pay {{invoice.balance',
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION',
      options: {
        details: expect.arrayContaining([{ field: 'body', message: 'unknown variable {{customer.nmae}}' }]),
      },
    });
    expect(await findTemplate(testDb.db, organization.id, 'overdue', 'email', 'en')).toBeUndefined();
  });

  it('refuses an unknown channel or locale', async () => {
    const { organization } = await seedTenant(testDb.db);
    await expect(
      saveTemplate(testDb.db, {
        organizationId: organization.id,
        key: 'x',
        channel: 'fax',
        locale: 'it',
        subject: '',
        body: 'Hi',
      }),
    ).rejects.toThrow(
      /channel: expected one of email, sms, letter, call, collections; locale: expected one of pl, de, en, fr/,
    );
  });
});
