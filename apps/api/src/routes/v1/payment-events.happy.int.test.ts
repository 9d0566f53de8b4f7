import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';
import { storedEvent } from '../../testing/payment-event-fixtures';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness({ deps: { unappliedPaymentEventMinutes: 30 } });
});
afterAll(() => h?.close());

describe('GET /v1/payment-events/unapplied and POST /v1/payment-events/{id}/rerun', () => {
  it('lists the events not applied after N minutes, oldest first, and re-runs one once', async () => {
    const older = await storedEvent(h, h.tenant, {
      minutesAgo: 90,
      error: 'payment attempt for pi_1 is not known yet',
    });
    const old = await storedEvent(h, h.tenant, { minutesAgo: 45 });
    await storedEvent(h, h.tenant, { minutesAgo: 5 }); // too recent: still in its first attempts
    await storedEvent(h, h.tenant, { minutesAgo: 60, processed: true }); // applied

    const first = await h.request('GET', '/v1/payment-events/unapplied?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([
      {
        id: older.id,
        provider: 'stripe',
        eventId: older.event_id,
        type: 'checkout.session.completed',
        receivedAt: older.received_at.toISOString(),
        error: 'payment attempt for pi_1 is not known yet',
        workflowId: `payment-stripe-${older.event_id}`,
        workflow: 'none',
        canRerun: true,
      },
    ]);
    const second = await h.request(
      'GET',
      `/v1/payment-events/unapplied?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.data.map((e: { id: string }) => e.id)).toEqual([old.id]);
    expect(second.body.nextCursor).toBeNull();
    const recent = await h.request('GET', '/v1/payment-events/unapplied?olderThanMinutes=0');
    expect(recent.body.data).toHaveLength(3);

    const rerun = await h.request('POST', `/v1/payment-events/${older.id}/rerun`);
    expect(rerun.status).toBe(200);
    expect(rerun.body).toEqual({ outcome: 'started', workflowId: `payment-stripe-${older.event_id}` });
    const description = await h.temporal.workflow.getHandle(rerun.body.workflowId).describe();
    expect(description.type).toBe('paymentEventWorkflow');
    expect(description.status.name).toBe('RUNNING');
    expect((await h.request('POST', `/v1/payment-events/${older.id}/rerun`)).body.outcome).toBe(
      'already_running',
    );
    const listed = await h.request('GET', '/v1/payment-events/unapplied');
    expect(listed.body.data[0]).toMatchObject({ id: older.id, workflow: 'running', canRerun: false });
    await h.temporal.workflow.getHandle(rerun.body.workflowId).terminate('test over');
  });

  it('an event applied meanwhile is not run again', async () => {
    const applied = await storedEvent(h, h.tenant, { minutesAgo: 60, processed: true });
    const rerun = await h.request('POST', `/v1/payment-events/${applied.id}/rerun`);
    expect(rerun.status).toBe(200);
    expect(rerun.body.outcome).toBe('already_applied');
  });
});
