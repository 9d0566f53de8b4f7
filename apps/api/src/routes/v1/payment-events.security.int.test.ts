import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';
import { storedEvent } from '../../testing/payment-event-fixtures';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

describe("payment events: a tenant never sees or re-runs another tenant's events", () => {
  it('never lists it, answers 404 to its re-run and starts nothing; without a key, 401', async () => {
    const event = await storedEvent(h, h.tenant, { minutesAgo: 60 });
    const as = { apiKey: other.apiKey };
    expect((await h.request('GET', '/v1/payment-events/unapplied', as)).body.data).toEqual([]);
    expect((await h.request('POST', `/v1/payment-events/${event.id}/rerun`, as)).status).toBe(404);
    await expect(
      h.temporal.workflow.getHandle(`payment-stripe-${event.event_id}`).describe(),
    ).rejects.toThrow();
    expect((await h.request('GET', '/v1/payment-events/unapplied', { apiKey: null })).status).toBe(401);
    expect((await h.request('GET', '/v1/payment-events/unapplied')).body.data).toHaveLength(1);
  });
});
