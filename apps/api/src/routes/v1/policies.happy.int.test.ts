import { DEFAULT_POLICY } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

describe('reminder policies API', () => {
  it('creates a policy, reads it back in the domain shape, and lists it', async () => {
    const created = await h.request('POST', '/v1/policies', {
      body: { name: 'Standard', isDefault: true, policy: DEFAULT_POLICY },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Standard', isDefault: true, segment: null });
    expect(created.body.policy).toEqual(DEFAULT_POLICY);
    const read = await h.request('GET', `/v1/policies/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    const list = await h.request('GET', '/v1/policies');
    expect(list.body.data.map((p: { id: string }) => p.id)).toContain(created.body.id);
  });

  it('a new default policy demotes the previous default', async () => {
    const first = await h.request('POST', '/v1/policies', {
      body: { name: 'First', isDefault: true, policy: DEFAULT_POLICY },
    });
    const second = await h.request('POST', '/v1/policies', {
      body: { name: 'Second', isDefault: true, policy: DEFAULT_POLICY },
    });
    expect(second.status).toBe(201);
    expect((await h.request('GET', `/v1/policies/${first.body.id}`)).body.isDefault).toBe(false);
  });

  it('replaces settings and steps with PUT', async () => {
    const created = await h.request('POST', '/v1/policies', {
      body: { name: 'Strict', policy: DEFAULT_POLICY },
    });
    const shorter = { ...DEFAULT_POLICY, maxPromiseDays: 14, steps: DEFAULT_POLICY.steps.slice(0, 2) };
    const updated = await h.request('PUT', `/v1/policies/${created.body.id}`, {
      body: { name: 'Strict (short)', segment: 'smb', policy: shorter },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Strict (short)', segment: 'smb' });
    expect(updated.body.policy).toEqual(shorter);
  });
});
