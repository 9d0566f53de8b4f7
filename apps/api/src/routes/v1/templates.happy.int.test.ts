import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const template = {
  key: 'overdue-1',
  channel: 'email',
  locale: 'en',
  subject: 'Invoice {{invoice.number}} is overdue',
  body: 'Dear {{customer.name}}, please pay {{invoice.balance}}: {{portal.url}}',
};

describe('templates API', () => {
  it('creates a template, reads it, finds it by key and locale, and changes its body', async () => {
    const created = await h.request('POST', '/v1/templates', { body: template });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(template);
    expect((await h.request('GET', `/v1/templates/${created.body.id}`)).body).toEqual(created.body);
    const found = await h.request('GET', '/v1/templates?key=overdue-1&locale=en');
    expect(found.body.data.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
    const changed = await h.request('PATCH', `/v1/templates/${created.body.id}`, {
      body: { body: 'Hello {{customer.name}}, {{invoice.balance}} is due: {{portal.url}}' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: created.body.id, subject: template.subject, key: 'overdue-1' });
    expect(changed.body.body).toMatch(/^Hello/);
  });

  it('audits every write, a create and a change alike, with the API key as the actor', async () => {
    const created = await h.request('POST', '/v1/templates', { body: { ...template, key: 'audited' } });
    const changed = await h.request('PATCH', `/v1/templates/${created.body.id}`, {
      body: { subject: 'Reminder {{invoice.number}}' },
    });
    expect(changed.status).toBe(200);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_id', 'data'])
      .where('subject_type', '=', 'template')
      .where('subject_id', '=', created.body.id)
      .orderBy('created_at')
      .execute();
    const entry = {
      action: 'template.saved',
      actor_type: 'api_key',
      actor_id: h.tenant.apiKeyId,
      data: { key: 'audited', channel: 'email', locale: 'en' },
    };
    expect(audit).toEqual([entry, entry]);
  });

  it('saving the same key, channel and locale again replaces the template', async () => {
    const first = await h.request('POST', '/v1/templates', { body: { ...template, key: 'replace-me' } });
    const second = await h.request('POST', '/v1/templates', {
      body: { ...template, key: 'replace-me', subject: 'Reminder {{invoice.number}}' },
    });
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.subject).toBe('Reminder {{invoice.number}}');
  });
});
