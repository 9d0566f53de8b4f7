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
});
