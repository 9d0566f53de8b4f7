import {
  completeTask,
  recordCallOutcome,
  updateCustomerCollections,
  updateReminderPolicy,
} from '@settle/core';
import { insertTaskOnce, insertUser } from '@settle/db';
import { addDays, DEFAULT_POLICY } from '@settle/domain';
import { stateQuery } from '@settle/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, scenarioHelpers } from './testing/scenarios';
import { createHarness, type Harness } from './testing/workflow-harness';

// The finance console's application functions against PostgreSQL and the workflows they start or
// signal, on the time-skipping server (see docs/decisions/0001).
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { serverToday, start } = scenarioHelpers(() => harness);
const advance = (days: number) => harness.env.sleep(days * DAY);

async function deps() {
  const at = await harness.env.currentTimeMs();
  return {
    db: harness.db,
    temporal: harness.env.client,
    taskQueue: harness.taskQueue,
    now: () => new Date(at),
  };
}

/** A collector of the organization, as the console passes it. */
async function collector(organizationId: string) {
  const user = await insertUser(harness.db, {
    organization_id: organizationId,
    email: `collector-${Math.random().toString(36).slice(2)}@finance.test`,
    name: 'Collector',
    password_hash: 'not-used',
    role: 'collector',
  });
  return { type: 'user' as const, id: user.id };
}

async function callTask(organizationId: string, customerId: string, invoiceId: string) {
  return insertTaskOnce(harness.db, {
    organization_id: organizationId,
    kind: 'call',
    idempotency_key: `call-${Math.random()}`,
    customer_id: customerId,
    invoice_id: invoiceId,
    title: 'Call the customer',
    details: { script: 'Hello' },
  });
}

describe('finance console actions', () => {
  it('records a call that ended in a promise: the promise holds the reminders and the task is done', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -31, dueInDays: -1 });
    const finance = await collector(organization.id);
    await harness.withWorker(async () => {
      await advance(0.1);
      const task = await callTask(organization.id, customer.id, invoiceId);
      const date = addDays(await serverToday(), 5);
      const done = await recordCallOutcome(await deps(), {
        organizationId: organization.id,
        taskId: task.id,
        outcome: { kind: 'promise', date, note: 'pays on Friday' },
        actor: finance,
      });
      expect(done).toMatchObject({ status: 'done', outcome: `promise to pay by ${date}: pays on Friday` });
      await advance(0.01);
      expect((await handle.query(stateQuery)).holds).toContain('promise');
      const promise = await harness.db
        .selectFrom('promises_to_pay')
        .select(['promised_date', 'status'])
        .where('invoice_id', '=', invoiceId)
        .executeTakeFirstOrThrow();
      expect(promise).toEqual({ promised_date: date, status: 'active' });
      // A recorded call cannot be recorded again.
      await expect(
        recordCallOutcome(await deps(), {
          organizationId: organization.id,
          taskId: task.id,
          outcome: { kind: 'no_answer' },
          actor: finance,
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    });
    await handle.terminate('test over');
  });

  it('records a call that ended in a dispute: the dispute holds the reminders; a bad date writes nothing', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -31, dueInDays: -1 });
    const finance = await collector(organization.id);
    await harness.withWorker(async () => {
      await advance(0.1);
      const task = await callTask(organization.id, customer.id, invoiceId);
      await expect(
        recordCallOutcome(await deps(), {
          organizationId: organization.id,
          taskId: task.id,
          outcome: { kind: 'promise', date: addDays(await serverToday(), 400) },
          actor: finance,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION', options: { details: [{ field: 'date' }] } });
      await recordCallOutcome(await deps(), {
        organizationId: organization.id,
        taskId: task.id,
        outcome: { kind: 'dispute', reason: 'not_received', message: 'never got the goods' },
        actor: finance,
      });
      await advance(0.01);
      expect((await handle.query(stateQuery)).holds).toEqual(['dispute']);
      // Other tasks are completed with what was done, and only once.
      const letter = await insertTaskOnce(harness.db, {
        organization_id: organization.id,
        kind: 'letter',
        idempotency_key: `letter-${Math.random()}`,
        invoice_id: invoiceId,
        title: 'Post it',
        details: {},
      });
      await completeTask(harness.db, {
        organizationId: organization.id,
        taskId: letter.id,
        outcome: 'posted',
        actor: finance,
      });
      await expect(
        completeTask(harness.db, {
          organizationId: organization.id,
          taskId: letter.id,
          outcome: 'posted',
          actor: finance,
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    });
    await handle.terminate('test over');
  });

  it('applies an edited policy to running workflows from their next step', async () => {
    const { organization, handle } = await start({ issueInDays: -1, dueInDays: 29 });
    const finance = await collector(organization.id);
    await harness.withWorker(async () => {
      await advance(0.1);
      const before = await handle.query(stateQuery);
      expect(before.nextStep?.id).not.toMatch(/^only-step#/);
      const policy = await harness.db
        .selectFrom('reminder_policies')
        .select('id')
        .where('organization_id', '=', organization.id)
        .executeTakeFirstOrThrow();
      const onlyStep = {
        ...DEFAULT_POLICY,
        steps: [
          {
            key: 'only-step',
            anchor: 'due_date' as const,
            offsetDays: 3,
            channel: 'email' as const,
            templateKey: 'overdue',
            escalation: 'firm' as const,
            minBalanceMinor: 0,
            onlyWhenOverdue: false,
            onlyIfUnpaidSincePrevious: false,
          },
        ],
      };
      await expect(
        updateReminderPolicy(await deps(), {
          organizationId: organization.id,
          policyId: policy.id,
          name: 'Test',
          segment: null,
          policy: { ...onlyStep, steps: [{ ...onlyStep.steps[0], offsetDays: 'x' }] },
          actor: finance,
        }),
      ).rejects.toMatchObject({ options: { details: [{ field: 'steps[0].offsetDays' }] } });
      const { replanned } = await updateReminderPolicy(await deps(), {
        organizationId: organization.id,
        policyId: policy.id,
        name: 'Test',
        segment: null,
        policy: onlyStep,
        actor: finance,
      });
      expect(replanned).toBe(1);
      await advance(0.01);
      expect((await handle.query(stateQuery)).nextStep?.id).toBe('only-step#0');
      const audit = await harness.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject_id', '=', policy.id)
        .execute();
      expect(audit).toEqual([{ action: 'policy.updated' }]);
    });
    await handle.terminate('test over');
  });

  it('re-plans a customer whose policy assignment changes; bad settings name their field', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -1, dueInDays: 29 });
    const finance = await collector(organization.id);
    await harness.withWorker(async () => {
      await advance(0.1);
      const changes = {
        creditLimit: { amountMinor: 100_000, currency: 'EUR' },
        emailOptOut: false,
        smsOptOut: true,
        reminderPolicyId: null,
        segment: 'key-accounts',
      };
      await expect(
        updateCustomerCollections(await deps(), {
          organizationId: organization.id,
          customerId: customer.id,
          changes: { ...changes, creditLimit: { amountMinor: 100_000, currency: 'EURO' } },
          actor: finance,
        }),
      ).rejects.toMatchObject({ options: { details: [{ field: 'creditLimit.currency' }] } });
      const historyBefore = (await handle.query(stateQuery)).history.length;
      const updated = await updateCustomerCollections(await deps(), {
        organizationId: organization.id,
        customerId: customer.id,
        changes,
        actor: finance,
      });
      expect(updated).toMatchObject({
        segment: 'key-accounts',
        sms_opt_out: true,
        credit_limit_minor: 100_000,
      });
      await advance(0.01);
      const history = (await handle.query(stateQuery)).history.slice(historyBefore);
      expect(history.map((h) => h.event)).toContain('invoice.changed');
      expect(invoiceId).toBeTruthy();
    });
    await handle.terminate('test over');
  });
});
