import { createInvoice } from '@settle/core';
import { addDays, DEFAULT_POLICY, localDateOf } from '@settle/domain';
import {
  ensureInvoiceWorkflowSweepSchedule,
  INVOICE_WORKFLOW_SWEEP_SCHEDULE_ID,
  invoiceWorkflowId,
  triggerInvoiceWorkflowSweep,
} from '@settle/workflows';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, seedInvoice } from './testing/workflow-harness';

/**
 * The invoice workflow sweep: the schedule's workflow starts the reminder workflow of every open invoice
 * that has none (an invoice created while Temporal was down, a run that was terminated), and reports
 * those it started.
 */

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness({ server: 'local' });
});
afterAll(async () => {
  await harness?.close();
});

/** A client of a Temporal that is not there. */
function unreachableTemporal(): Client {
  return new Client({ connection: Connection.lazy({ address: '127.0.0.1:9', connectTimeout: '1 second' }) });
}

function runSweep() {
  return harness.env.client.workflow.execute('reconcileInvoiceWorkflowsWorkflow', {
    taskQueue: harness.taskQueue,
    workflowId: `invoice-workflows-sweep-test-${Math.random().toString(36).slice(2)}`,
    args: [{}],
  }) as Promise<{ started: number; alreadyRunning: number; failed: number; startedInvoiceIds: string[] }>;
}

async function workflowStatus(invoiceId: string): Promise<string | null> {
  try {
    const description = await harness.env.client.workflow.getHandle(invoiceWorkflowId(invoiceId)).describe();
    return description.status.name;
  } catch {
    return null;
  }
}

describe('the invoice workflow sweep', () => {
  it('starts the workflow of an invoice created while Temporal was unreachable, once, and reports it', async () => {
    const today = localDateOf(Date.now(), 'Europe/Berlin');
    const { organization, customer } = await seedInvoice(harness.db, {
      policy: DEFAULT_POLICY,
      issueDate: today,
      dueDate: addDays(today, 20),
    });
    // seedInvoice's own invoice has no workflow either: the sweep finds both.
    const offline = unreachableTemporal();
    const { invoice, workflowStarted } = await createInvoice(
      { db: harness.db, temporal: offline, taskQueue: harness.taskQueue },
      {
        organizationId: organization.id,
        invoice: {
          customerId: customer.id,
          number: 'OFFLINE-1',
          currency: 'EUR',
          issueDate: today,
          dueDate: addDays(today, 20),
          lines: [{ description: 'Pallets', quantityMilli: 1000, unitPriceMinor: 10_000 }],
        },
      },
    );
    await offline.connection.close();
    expect(workflowStarted).toBe(false);
    expect(await workflowStatus(invoice.id)).toBeNull();

    await harness.withWorker(async () => {
      const first = await runSweep();
      expect(first.startedInvoiceIds).toContain(invoice.id);
      expect(first.started).toBe(first.startedInvoiceIds.length);
      expect(first.failed).toBe(0);
      expect(await workflowStatus(invoice.id)).toBe('RUNNING');

      const second = await runSweep();
      expect(second.started).toBe(0);
      expect(second.alreadyRunning).toBe(first.started + first.alreadyRunning);
    });

    const audit = await harness.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'organization_id'])
      .where('subject_id', '=', invoice.id)
      .where('action', '=', 'reminders.started_by_sweep')
      .execute();
    expect(audit).toEqual([
      { action: 'reminders.started_by_sweep', actor_type: 'system', organization_id: organization.id },
    ]);
  });

  it('starts again the workflow of an open invoice whose run was terminated; a paid invoice is left alone', async () => {
    const today = localDateOf(Date.now(), 'Europe/Berlin');
    const open = await seedInvoice(harness.db, {
      policy: DEFAULT_POLICY,
      issueDate: today,
      dueDate: addDays(today, 20),
    });
    const paid = await seedInvoice(harness.db, {
      policy: DEFAULT_POLICY,
      issueDate: today,
      dueDate: addDays(today, 20),
    });
    await harness.db
      .updateTable('invoices')
      .set({ status: 'paid' })
      .where('id', '=', paid.invoiceId)
      .execute();

    await harness.withWorker(async () => {
      expect((await runSweep()).startedInvoiceIds).toContain(open.invoiceId);
      await harness.env.client.workflow.getHandle(invoiceWorkflowId(open.invoiceId)).terminate('test: lost');
      const again = await runSweep();
      expect(again.startedInvoiceIds).toEqual([open.invoiceId]);
      expect(await workflowStatus(open.invoiceId)).toBe('RUNNING');
      expect(await workflowStatus(paid.invoiceId)).toBeNull();
    });
  });

  it('the worker creates its schedule idempotently (every N minutes, overlap skip) and a trigger runs a sweep', async () => {
    const today = localDateOf(Date.now(), 'Europe/Berlin');
    const { invoiceId } = await seedInvoice(harness.db, {
      policy: DEFAULT_POLICY,
      issueDate: today,
      dueDate: addDays(today, 20),
    });
    const client = harness.env.client;
    const options = { taskQueue: harness.taskQueue, everyMinutes: 7 };
    expect(await ensureInvoiceWorkflowSweepSchedule(client, options)).toBe('created');
    expect(await ensureInvoiceWorkflowSweepSchedule(client, { ...options, everyMinutes: 5 })).toBe('updated');
    const schedule = client.schedule.getHandle(INVOICE_WORKFLOW_SWEEP_SCHEDULE_ID);
    const description = await schedule.describe();
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.spec.intervals).toMatchObject([{ every: 5 * 60_000 }]);
    expect(description.action).toMatchObject({ workflowType: 'reconcileInvoiceWorkflowsWorkflow' });

    await harness.withWorker(async () => {
      await triggerInvoiceWorkflowSweep(client);
      for (let i = 0; i < 100 && (await workflowStatus(invoiceId)) !== 'RUNNING'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await workflowStatus(invoiceId)).toBe('RUNNING');
      const [run] = (await schedule.describe()).info.recentActions;
      const report = await client.workflow.getHandle(run?.action.workflow.workflowId ?? '').result();
      expect(report).toMatchObject({ failed: 0 });
    });
    await schedule.delete();
  });
});
