import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

describe('payment events: bad requests name the field', () => {
  it('refuses a malformed olderThanMinutes, limit and cursor with 400', async () => {
    for (const [query, field] of [
      ['olderThanMinutes=soon', 'olderThanMinutes'],
      ['olderThanMinutes=-1', 'olderThanMinutes'],
      ['limit=0', 'limit'],
      ['cursor=nope', 'cursor'],
    ]) {
      const response = await h.request('GET', `/v1/payment-events/unapplied?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.details, query).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    }
  });

  it('answers 400 to a re-run of something that is not an id, and 404 to an unknown id', async () => {
    const bad = await h.request('POST', '/v1/payment-events/evt_123/rerun');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'id' })]);
    const unknown = await h.request('POST', '/v1/payment-events/8b0a4f1e-3c2d-4e5f-9a6b-7c8d9e0f1a2b/rerun');
    expect(unknown.status).toBe(404);
  });
});
