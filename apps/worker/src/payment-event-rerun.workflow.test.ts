import { randomUUID } from 'node:crypto';
import { listUnappliedPaymentEvents, rerunPaymentEvent } from '@settle/core';
import { seedTenant } from '@settle/db/testing';
import { addDays, DEFAULT_POLICY, localDateOf } from '@settle/domain';
import { acceptPaymentEvent } from '@settle/payments';
import { paymentEventWorkflowId } from '@settle/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, seedInvoice } from './testing/workflow-harness';

/**
 * A payment event whose workflow ended without applying it (terminated, failed after its activity gave
 * up) must be startable again: by the provider's redelivery, by reconciliation and by finance's re-run.
 * A run still in flight is never started twice, and an applied event never runs again.
 */

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness({ server: 'local' });
});
afterAll(async () => {
  await harness?.close();
});

async function paidByCardScenario() {
  const today = localDateOf(Date.now(), 'Europe/Berlin');
  const seeded = await seedInvoice(harness.db, {
    policy: DEFAULT_POLICY,
    issueDate: today,
    dueDate: addDays(today, 20),
    totalMinor: 50_000,
  });
  const attempt = await harness.db
    .insertInto('payment_attempts')
    .values({
      organization_id: seeded.organization.id,
      customer_id: seeded.customer.id,
      provider: 'stripe',
      kind: 'checkout_session',
      provider_reference: `cs_test_${randomUUID().slice(0, 8)}`,
      invoice_ids: [seeded.invoiceId],
      amount_minor: 50_000,
      currency: 'EUR',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const event = {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: attempt.provider_reference,
        object: 'checkout.session',
        payment_status: 'paid',
        payment_intent: `pi_${attempt.id.slice(0, 8)}`,
        amount_total: 50_000,
        currency: 'eur',
        metadata: { settle_attempt_id: attempt.id },
        payment_method_types: ['card'],
      },
    },
  };
  return { ...seeded, attempt, event };
}

function deliver(event: { id: string; type: string }) {
  return acceptPaymentEvent(
    { db: harness.db, temporal: harness.env.client, taskQueue: harness.taskQueue },
    { provider: 'stripe', eventId: event.id, type: event.type, payload: event },
  );
}

async function invoiceStatus(id: string) {
  const row = await harness.db
    .selectFrom('invoices')
    .select(['status', 'paid_minor'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row;
}

describe('a payment event whose workflow ended without applying it', () => {
  it('is started again by a redelivery after its run was terminated, and then applied', async () => {
    const { invoiceId, event } = await paidByCardScenario();
    // No worker polls yet: the run waits at its start, as while every worker is down.
    expect((await deliver(event)).outcome).toBe('accepted');
    // In flight: a redelivery does not start a second run.
    expect((await deliver(event)).outcome).toBe('duplicate');
    const handle = harness.env.client.workflow.getHandle(paymentEventWorkflowId('stripe', event.id));
    await handle.terminate('operator ended it before it ran');

    expect((await deliver(event)).outcome).toBe('accepted');
    await harness.withWorker(async () => {
      await harness.env.client.workflow.getHandle(paymentEventWorkflowId('stripe', event.id)).result();
    });
    expect(await invoiceStatus(invoiceId)).toEqual({ status: 'paid', paid_minor: 50_000 });
    // Applied: the same event again changes nothing and starts nothing.
    expect((await deliver(event)).outcome).toBe('duplicate');
  });

  it('is listed for its organization after N minutes, and finance re-runs it once', async () => {
    const { invoiceId, organization, event } = await paidByCardScenario();
    expect((await deliver(event)).outcome).toBe('accepted');
    const workflowId = paymentEventWorkflowId('stripe', event.id);
    await harness.env.client.workflow.getHandle(workflowId).terminate('operator ended it before it ran');

    const deps = { db: harness.db, temporal: harness.env.client, taskQueue: harness.taskQueue };
    const list = (organizationId: string, minutesLater: number) =>
      listUnappliedPaymentEvents(deps, {
        organizationId,
        olderThanMinutes: 30,
        limit: 50,
        now: new Date(Date.now() + minutesLater * 60_000),
      });
    expect((await list(organization.id, 0)).rows).toEqual([]);
    const listed = await list(organization.id, 31);
    expect(listed.rows).toMatchObject([
      {
        eventId: event.id,
        type: 'checkout.session.completed',
        workflowId,
        workflow: 'terminated',
        canRerun: true,
      },
    ]);
    const other = await seedTenant(harness.db);
    expect((await list(other.organization.id, 31)).rows).toEqual([]);
    const webhookEventId = listed.rows[0]?.id ?? '';
    await expect(
      rerunPaymentEvent(deps, {
        organizationId: other.organization.id,
        webhookEventId,
        actor: { type: 'user', id: other.organization.id },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const rerun = () =>
      rerunPaymentEvent(deps, { organizationId: organization.id, webhookEventId, actor: { type: 'system' } });
    expect(await rerun()).toEqual({ outcome: 'started', workflowId });
    expect(await rerun()).toEqual({ outcome: 'already_running', workflowId });
    expect((await list(organization.id, 31)).rows).toMatchObject([{ workflow: 'running', canRerun: false }]);
    await harness.withWorker(() => harness.env.client.workflow.getHandle(workflowId).result());
    expect(await invoiceStatus(invoiceId)).toEqual({ status: 'paid', paid_minor: 50_000 });
    expect(await rerun()).toEqual({ outcome: 'already_applied', workflowId });
    expect((await list(organization.id, 31)).rows).toEqual([]);
    const audit = await harness.db
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'payment_event.rerun')
      .where('subject_id', '=', webhookEventId)
      .orderBy('id')
      .execute();
    expect(audit.map((row) => (row.data as { outcome: string }).outcome)).toEqual([
      'started',
      'already_running',
      'already_applied',
    ]);
  });
});
