import { upsertTemplate } from '@settle/db';
import { DEFAULT_POLICY } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const countPolicies = async () =>
  (
    await h.db
      .selectFrom('reminder_policies')
      .select('id')
      .where('organization_id', '=', h.tenant.organization.id)
      .execute()
  ).length;

describe('reminder policies API errors', () => {
  it('names each bad rule of the policy and writes nothing', async () => {
    const before = await countPolicies();
    const [first, second] = DEFAULT_POLICY.steps;
    const response = await h.request('POST', '/v1/policies', {
      body: {
        name: 'Broken',
        policy: {
          ...DEFAULT_POLICY,
          sendWindow: { start: '18:00', end: '09:00' },
          steps: [first, { ...second, key: first?.key, channel: 'pigeon' }],
        },
      },
    });
    expect(response.status).toBe(400);
    const fields = response.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['policy.sendWindow', 'policy.steps.1.channel']));
    expect(await countPolicies()).toBe(before);
  });

  it('names policy when it is not an object and name when it is empty', async () => {
    const response = await h.request('POST', '/v1/policies', { body: { name: '', policy: 'weekly' } });
    expect(response.status).toBe(400);
    const fields = response.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['name', 'policy']);
  });

  it('answers 409 naming name when another policy has it', async () => {
    await h.request('POST', '/v1/policies', { body: { name: 'Twice', policy: DEFAULT_POLICY } });
    const again = await h.request('POST', '/v1/policies', {
      body: { name: 'Twice', policy: DEFAULT_POLICY },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ field: 'name', message: expect.any(String) }]);
  });

  it('refuses an invalid replacement and keeps the stored policy', async () => {
    const created = await h.request('POST', '/v1/policies', {
      body: { name: 'Keep', policy: DEFAULT_POLICY },
    });
    const response = await h.request('PUT', `/v1/policies/${created.body.id}`, {
      body: { name: 'Keep', policy: { ...DEFAULT_POLICY, maxPromiseDays: 0 } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      { field: 'policy.maxPromiseDays', message: expect.any(String) },
    ]);
    expect((await h.request('GET', `/v1/policies/${created.body.id}`)).body.policy).toEqual(DEFAULT_POLICY);
  });

  it('refuses a policy whose SMS step uses a template that exists only as e-mail, naming the step and languages', async () => {
    const before = await countPolicies();
    // Step 3 is the due-day SMS; 'overdue' exists only as an e-mail template. The tenant writes in
    // en (its default locale) and de (its customer's).
    const steps = DEFAULT_POLICY.steps.map((step, index) =>
      index === 3 ? { ...step, templateKey: 'overdue' } : step,
    );
    const response = await h.request('POST', '/v1/policies', {
      body: { name: 'SMS without texts', policy: { ...DEFAULT_POLICY, steps } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      { field: 'policy.steps.3.templateKey', message: "no sms template 'overdue' in de, en" },
    ]);
    expect(await countPolicies()).toBe(before);

    // Replacing an existing policy with it is refused the same way, and the stored policy stays.
    const created = await h.request('POST', '/v1/policies', {
      body: { name: 'Complete', policy: DEFAULT_POLICY },
    });
    const replaced = await h.request('PUT', `/v1/policies/${created.body.id}`, {
      body: { name: 'Complete', policy: { ...DEFAULT_POLICY, steps } },
    });
    expect(replaced.status).toBe(400);
    expect(replaced.body.error.details).toEqual([
      { field: 'policy.steps.3.templateKey', message: "no sms template 'overdue' in de, en" },
    ]);
    expect((await h.request('GET', `/v1/policies/${created.body.id}`)).body.policy).toEqual(DEFAULT_POLICY);

    // A stored template counts: with the SMS written in English only, German is still missing.
    await upsertTemplate(h.db, {
      organization_id: h.tenant.organization.id,
      key: 'overdue',
      channel: 'sms',
      locale: 'en',
      subject: '',
      body: '{{company.name}}: invoice {{invoice.numbers}} is overdue. Pay: {{portal.url}}',
    });
    const partly = await h.request('POST', '/v1/policies', {
      body: { name: 'SMS in English', policy: { ...DEFAULT_POLICY, steps } },
    });
    expect(partly.body.error.details).toEqual([
      { field: 'policy.steps.3.templateKey', message: "no sms template 'overdue' in de" },
    ]);
  });

  it('takes either rules or a known preset, naming the field otherwise', async () => {
    const both = await h.request('POST', '/v1/policies', {
      body: { name: 'Both', preset: 'sms-scenario', policy: DEFAULT_POLICY },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.details.map((d: { field: string }) => d.field)).toEqual(['preset']);
    const neither = await h.request('POST', '/v1/policies', { body: { name: 'Neither' } });
    expect(neither.status).toBe(400);
    expect(neither.body.error.details.map((d: { field: string }) => d.field)).toEqual(['policy']);
    const unknown = await h.request('POST', '/v1/policies', { body: { name: 'Fax', preset: 'fax' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.map((d: { field: string }) => d.field)).toEqual(['preset']);
  });
});
