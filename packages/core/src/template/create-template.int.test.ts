import { databaseEnv, loadConfig } from '@settle/config';
import { findTemplate } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTemplate } from './create-template';
import { updateTemplate } from './update-template';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

const actor = { type: 'user' as const, id: 'a1b2c3d4-0000-4000-8000-000000000001' };

describe('createTemplate', () => {
  it('saves a template that uses only known variables', async () => {
    const { organization } = await seedTenant(testDb.db);
    const saved = await createTemplate(
      { db: testDb.db },
      {
        actor,
        organizationId: organization.id,
        key: 'overdue',
        channel: 'email',
        locale: 'de',
        subject: 'Rechnung {{invoice.number}}',
        body: 'Guten Tag {{customer.name}}, bitte zahlen Sie {{invoice.balance}}: {{portal.url}}',
      },
    );
    expect(saved.subject).toBe('Rechnung {{invoice.number}}');
  });

  it('refuses an unknown variable, naming it, and stores nothing', async () => {
    const { organization } = await seedTenant(testDb.db);
    const attempt = createTemplate(
      { db: testDb.db },
      {
        actor,
        organizationId: organization.id,
        key: 'overdue',
        channel: 'email',
        locale: 'en',
        subject: 'Invoice {{invoice.number}}',
        body: 'Dear {{customer.nmae}}, please pay {{invoice.balance',
      },
    );
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
      createTemplate(
        { db: testDb.db },
        {
          actor,
          organizationId: organization.id,
          key: 'x',
          channel: 'fax',
          locale: 'it',
          subject: '',
          body: 'Hi',
        },
      ),
    ).rejects.toThrow(
      /channel: expected one of email, sms, letter, call, collections; locale: expected one of pl, de, en, fr/,
    );
  });

  it('audits the write with its actor, and writes no entry when it refuses', async () => {
    const { organization } = await seedTenant(testDb.db);
    const saved = await createTemplate({ db: testDb.db }, { ...fields(organization.id), actor });
    await expect(
      createTemplate({ db: testDb.db }, { ...fields(organization.id), body: '{{nope}}', actor }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await auditOf(organization.id)).toEqual([
      { ...entry, subject_id: saved.id, data: { key: 'overdue', channel: 'email', locale: 'en' } },
    ]);
  });
});

describe('updateTemplate', () => {
  it("changes a template's subject or body, keeping its key, channel and locale, audited", async () => {
    const { organization } = await seedTenant(testDb.db);
    const created = await createTemplate({ db: testDb.db }, { ...fields(organization.id), actor });
    const updated = await updateTemplate(
      { db: testDb.db },
      {
        organizationId: organization.id,
        templateId: created.id,
        changes: { body: 'Hello {{customer.name}}, {{invoice.balance}} is due: {{portal.url}}' },
        actor,
      },
    );
    expect(updated).toMatchObject({
      id: created.id,
      key: 'overdue',
      channel: 'email',
      locale: 'en',
      subject: created.subject,
      body: 'Hello {{customer.name}}, {{invoice.balance}} is due: {{portal.url}}',
    });
    const saved = {
      ...entry,
      subject_id: created.id,
      data: { key: 'overdue', channel: 'email', locale: 'en' },
    };
    expect(await auditOf(organization.id)).toEqual([saved, saved]);
  });

  it("refuses another organization's template and an invalid change, writing nothing", async () => {
    const { organization } = await seedTenant(testDb.db);
    const other = await seedTenant(testDb.db);
    const created = await createTemplate({ db: testDb.db }, { ...fields(organization.id), actor });
    const change = (organizationId: string, body: string) =>
      updateTemplate({ db: testDb.db }, { organizationId, templateId: created.id, changes: { body }, actor });
    await expect(change(other.organization.id, 'Hi {{customer.name}}')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(change(organization.id, 'Hi {{customer.nmae}}')).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(await findTemplate(testDb.db, organization.id, 'overdue', 'email', 'en')).toMatchObject({
      body: created.body,
    });
    expect(await auditOf(organization.id)).toHaveLength(1);
    expect(await auditOf(other.organization.id)).toEqual([]);
  });
});

function fields(organizationId: string) {
  return {
    organizationId,
    key: 'overdue',
    channel: 'email',
    locale: 'en',
    subject: 'Invoice {{invoice.number}}',
    body: 'Dear {{customer.name}}, please pay {{invoice.balance}}: {{portal.url}}',
  };
}

const entry = { action: 'template.saved', actor_type: 'user', actor_id: actor.id, subject_type: 'template' };

function auditOf(organizationId: string) {
  return testDb.db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'actor_id', 'subject_type', 'subject_id', 'data'])
    .where('organization_id', '=', organizationId)
    .where('subject_type', '=', 'template')
    .execute();
}
