import { AppError, queueMessage, resendMessage } from '@settle/core';
import { insertCommunicationOnce, insertInvoice, insertUser } from '@settle/db';
import { seedTenant } from '@settle/db/testing';
import { messageWorkflowId } from '@settle/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './testing/workflow-harness';

// queueMessage (core) stores a prepared message and starts `message-<id>`; the worker's activity sends
// it through the recording senders. A real Temporal dev server, no time skipping needed.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'local' });
});
afterAll(async () => {
  await harness?.close();
});

function deps() {
  return { db: harness.db, temporal: harness.env.client, taskQueue: harness.taskQueue };
}

async function tenant() {
  return seedTenant(harness.db, { customer: { email: 'ap@debtor.test', phone: '+4915112345678' } });
}

async function status(communicationId: string) {
  return harness.db
    .selectFrom('communications')
    .select(['status', 'provider', 'provider_message_id', 'error'])
    .where('id', '=', communicationId)
    .executeTakeFirstOrThrow();
}

describe('queueMessage and the message delivery workflow', () => {
  it('sends a queued e-mail once with its idempotency key and marks it sent', async () => {
    const { organization, customer } = await tenant();
    const input = {
      organizationId: organization.id,
      customerId: customer.id,
      channel: 'email' as const,
      recipient: 'ap@debtor.test',
      subject: 'Your statement',
      bodyText: 'Hello',
      bodyHtml: '<p>Hello</p>',
      stepKey: 'resend',
      idempotencyKey: `resend/test/${Math.random()}`,
    };
    await harness.withWorker(async () => {
      const first = await queueMessage(deps(), input);
      expect(first.workflowId).toBe(messageWorkflowId(first.communicationId));
      const outcome = await harness.env.client.workflow.getHandle(first.workflowId).result();
      expect(outcome).toEqual({ status: 'sent', communicationId: first.communicationId });

      // A retried request (same key) queues nothing and sends nothing.
      const again = await queueMessage(deps(), input);
      expect(again).toMatchObject({ communicationId: first.communicationId, isNew: false });
      await harness.env.client.workflow.getHandle(again.workflowId).result();
      const sent = harness.email.sent.filter((m) => m.idempotencyKey === input.idempotencyKey);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ to: 'ap@debtor.test', subject: 'Your statement', text: 'Hello' });
      expect(await status(first.communicationId)).toMatchObject({ status: 'sent', provider: 'outbox' });
    });
  });

  it('sends an SMS through the SMS sender', async () => {
    const { organization, customer } = await tenant();
    const key = `sms/test/${Math.random()}`;
    await harness.withWorker(async () => {
      const queued = await queueMessage(deps(), {
        organizationId: organization.id,
        customerId: customer.id,
        channel: 'sms',
        recipient: '+4915112345678',
        subject: '',
        bodyText: 'Your link: http://portal.test/p/x',
        stepKey: 'portal-link',
        idempotencyKey: key,
      });
      await harness.env.client.workflow.getHandle(queued.workflowId).result();
    });
    expect(harness.sms.sent.filter((m) => m.idempotencyKey === key)).toHaveLength(1);
  });

  it('marks a message the provider rejects as failed and opens a task to fix it', async () => {
    const { organization, customer } = await tenant();
    harness.email.rejectWith = 'invalid recipient';
    try {
      await harness.withWorker(async () => {
        const queued = await queueMessage(deps(), {
          organizationId: organization.id,
          customerId: customer.id,
          channel: 'email',
          recipient: 'nobody@invalid',
          subject: 'Hi',
          bodyText: 'Hello',
          stepKey: 'resend',
          idempotencyKey: `fail/${Math.random()}`,
        });
        const outcome = await harness.env.client.workflow.getHandle(queued.workflowId).result();
        expect(outcome).toMatchObject({ status: 'failed', reason: 'invalid recipient' });
        expect(await status(queued.communicationId)).toMatchObject({
          status: 'failed',
          error: 'invalid recipient',
        });
        const task = await harness.db
          .selectFrom('tasks')
          .select(['kind', 'status'])
          .where('communication_id', '=', queued.communicationId)
          .executeTakeFirstOrThrow();
        expect(task).toEqual({ kind: 'failed_message', status: 'open' });
      });
    } finally {
      harness.email.rejectWith = null;
    }
  });

  it('refuses an e-mail without a subject, naming the field, and stores nothing', async () => {
    const { organization, customer } = await tenant();
    const error = await queueMessage(deps(), {
      organizationId: organization.id,
      customerId: customer.id,
      channel: 'email',
      recipient: 'ap@debtor.test',
      subject: ' ',
      bodyText: 'Hello',
      stepKey: 'resend',
      idempotencyKey: 'no-subject',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).options.details).toEqual([
      { field: 'subject', message: 'required for e-mail' },
    ]);
    const rows = await harness.db
      .selectFrom('communications')
      .select('id')
      .where('organization_id', '=', organization.id)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses a customer of another organization', async () => {
    const { organization } = await tenant();
    const other = await tenant();
    const error = await queueMessage(deps(), {
      organizationId: organization.id,
      customerId: other.customer.id,
      channel: 'sms',
      recipient: '+4915112345678',
      subject: '',
      bodyText: 'Hello',
      stepKey: 'resend',
      idempotencyKey: 'cross-tenant',
    }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('NOT_FOUND');
  });

  it('re-sends a message as a copy under a new key resend/<id>/<n>, once per click, unless opted out', async () => {
    const { organization, customer } = await tenant();
    const invoice = await insertInvoice(harness.db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number: `INV-${Math.random().toString(36).slice(2, 8)}`,
      currency: 'EUR',
      total_minor: 10_000,
      issue_date: '2026-01-01',
      due_date: '2026-01-31',
      lines: [],
    });
    const { communication: original } = await insertCommunicationOnce(
      harness.db,
      {
        organization_id: organization.id,
        customer_id: customer.id,
        idempotency_key: `invoice-${invoice.id}/step-first#0`,
        step_key: 'first#0',
        channel: 'email',
        locale: 'en',
        recipient: 'ap@debtor.test',
        subject: 'Reminder',
        body_text: 'Please pay',
        body_html: '<p>Please pay</p>',
        provider: 'outbox',
        status: 'sent',
      },
      [invoice.id],
    );
    const user = await insertUser(harness.db, {
      organization_id: organization.id,
      email: `collector-${Math.random().toString(36).slice(2)}@finance.test`,
      name: 'Collector',
      password_hash: 'not-used',
      role: 'collector',
    });
    const actor = { type: 'user' as const, id: user.id };
    await harness.withWorker(async () => {
      for (let i = 0; i < 2; i++) {
        const copy = await resendMessage(deps(), {
          organizationId: organization.id,
          communicationId: original.id,
          actor,
        });
        await harness.env.client.workflow.getHandle(copy.workflowId).result();
      }
    });
    const copies = await harness.db
      .selectFrom('communications')
      .selectAll()
      .where('idempotency_key', 'like', `resend/${original.id}/%`)
      .orderBy('idempotency_key')
      .execute();
    expect(copies.map((c) => [c.idempotency_key, c.status, c.body_html])).toEqual([
      [`resend/${original.id}/1`, 'sent', '<p>Please pay</p>'],
      [`resend/${original.id}/2`, 'sent', '<p>Please pay</p>'],
    ]);
    expect(
      harness.email.sent.filter((m) => m.idempotencyKey.startsWith(`resend/${original.id}/`)),
    ).toHaveLength(2);
    // The copy stays on the invoice's timeline.
    const linked = await harness.db
      .selectFrom('communication_invoices')
      .select('invoice_id')
      .where('communication_id', '=', copies[0]?.id ?? '')
      .execute();
    expect(linked).toEqual([{ invoice_id: invoice.id }]);

    await harness.db
      .updateTable('customers')
      .set({ email_opt_out: true })
      .where('id', '=', customer.id)
      .execute();
    await expect(
      resendMessage(deps(), { organizationId: organization.id, communicationId: original.id, actor }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
