import { DEFAULT_POLICY, SMS_SCENARIO_POLICY } from '@settle/domain';
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

  it('creates a policy from the SMS scenario preset, with its steps and settings', async () => {
    const created = await h.request('POST', '/v1/policies', {
      body: { name: 'SMS customers', segment: 'sms', preset: 'sms-scenario' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'SMS customers', segment: 'sms', isDefault: false });
    expect(created.body.policy).toEqual(SMS_SCENARIO_POLICY);
    expect(
      created.body.policy.steps.map((s: { key: string; channel: string }) => `${s.key}/${s.channel}`),
    ).toEqual([
      'issue-sms/sms',
      'pre-due-sms/sms',
      'due-day-sms/sms',
      'overdue-sms/sms',
      'collections-handover/collections',
      'thank-you-sms/sms',
    ]);
    expect((await h.request('GET', `/v1/policies/${created.body.id}`)).body).toEqual(created.body);
  });

  it('reads and writes the promise renewals, cross-channel merging and late-charge jurisdiction', async () => {
    const policy = {
      ...DEFAULT_POLICY,
      maxPromiseRenewals: 3,
      mergeAcrossChannels: true,
      lateChargesJurisdiction: 'de',
    };
    const created = await h.request('POST', '/v1/policies', { body: { name: 'Settings', policy } });
    expect(created.status).toBe(201);
    expect(created.body.policy).toMatchObject({
      maxPromiseRenewals: 3,
      mergeAcrossChannels: true,
      lateChargesJurisdiction: 'de',
    });
    const openapi = await h.request('GET', '/openapi.json');
    expect(Object.keys(openapi.body.components.schemas.PolicyRules.properties)).toEqual(
      expect.arrayContaining(['maxPromiseRenewals', 'mergeAcrossChannels', 'lateChargesJurisdiction']),
    );
  });
});
