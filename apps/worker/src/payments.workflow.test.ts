import { randomUUID } from 'node:crypto';
import { addDays, DEFAULT_POLICY, localDateOf } from '@settle/domain';
import {
  acceptPaymentEvent,
  type GoCardlessEvent,
  type GoCardlessGateway,
  paymentEventCommands,
} from '@settle/payments';
import { invoiceWorkflowId, paymentEventWorkflowId, startInvoiceReminders } from '@settle/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, seedInvoice } from './testing/workflow-harness';

/**
 * The payments-to-paid pipeline on a real Temporal dev server (real time): a provider event stored by
 * the webhook path starts `payment-<provider>-<id>`, which applies it in one transaction and signals the
 * invoice's workflow.
 */

let harness: Harness;
const gocardlessEvents: GoCardlessEvent[] = [];
const fakeGoCardless: GoCardlessGateway = {
  async createBillingRequestFlow() {
    throw new Error('not used here');
  },
  async listEventsSince(since) {
    return gocardlessEvents.filter((event) => new Date(event.created_at) > since);
  },
};

beforeAll(async () => {
  harness = await createHarness({ server: 'local', gocardless: fakeGoCardless });
});
afterAll(async () => {
  await harness?.close();
});

async function openInvoice(options: { totalMinor?: number; currency?: string } = {}) {
  const today = localDateOf(Date.now(), 'Europe/Berlin');
  const seeded = await seedInvoice(harness.db, {
    policy: DEFAULT_POLICY,
    issueDate: today,
    dueDate: addDays(today, 20),
    totalMinor: options.totalMinor ?? 50_000,
  });
  if (options.currency) {
    await harness.db
      .updateTable('invoices')
      .set({ currency: options.currency })
      .where('id', '=', seeded.invoiceId)
      .execute();
  }
  await startInvoiceReminders(harness.env.client, seeded.invoiceId, { taskQueue: harness.taskQueue });
  return seeded;
}

async function attemptFor(
  seeded: { organization: { id: string }; customer: { id: string } },
  invoiceIds: string[],
  options: { provider: 'stripe' | 'gocardless'; amountMinor: number; currency?: string },
) {
  return harness.db
    .insertInto('payment_attempts')
    .values({
      organization_id: seeded.organization.id,
      customer_id: seeded.customer.id,
      provider: options.provider,
      kind: options.provider === 'stripe' ? 'checkout_session' : 'billing_request',
      provider_reference: `${options.provider === 'stripe' ? 'cs_test_' : 'BRQ'}${randomUUID().slice(0, 8)}`,
      invoice_ids: invoiceIds,
      amount_minor: options.amountMinor,
      currency: options.currency ?? 'EUR',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function stripeEvent(type: string, object: Record<string, unknown>) {
  return {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  };
}

function checkoutCompleted(
  attempt: { id: string; provider_reference: string | null; amount_minor: number; currency: string },
  overrides: Record<string, unknown> = {},
) {
  return stripeEvent('checkout.session.completed', {
    id: attempt.provider_reference,
    object: 'checkout.session',
    payment_status: 'paid',
    payment_intent: `pi_${attempt.id.slice(0, 8)}`,
    amount_total: attempt.amount_minor,
    currency: attempt.currency.toLowerCase(),
    metadata: { settle_attempt_id: attempt.id },
    payment_method_types: ['card'],
    ...overrides,
  });
}

async function deliverStripe(event: { id: string; type: string }) {
  return deliver('stripe', event.id, event.type, event);
}

async function deliver(provider: 'stripe' | 'gocardless', eventId: string, type: string, payload: unknown) {
  const deps = { db: harness.db, temporal: harness.env.client, taskQueue: harness.taskQueue };
  const accepted = await acceptPaymentEvent(deps, { provider, eventId, type, payload });
  return accepted;
}

function gcEvent(resource_type: string, action: string, links: Record<string, string>): GoCardlessEvent {
  return {
    id: `EV${randomUUID().replaceAll('-', '').slice(0, 14).toUpperCase()}`,
    created_at: new Date().toISOString(),
    resource_type,
    action,
    details: { cause: action, description: `test: ${action}` },
    links,
    metadata: {},
  };
}

async function deliverGc(event: GoCardlessEvent) {
  return deliver('gocardless', event.id, `${event.resource_type}.${event.action}`, event);
}

async function paymentWorkflowDone(provider: 'stripe' | 'gocardless', eventId: string) {
  return harness.env.client.workflow.getHandle(paymentEventWorkflowId(provider, eventId)).result();
}

async function invoiceRow(id: string) {
  return harness.db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function workflowStatus(invoiceId: string) {
  const description = await harness.env.client.workflow.getHandle(invoiceWorkflowId(invoiceId)).describe();
  return description.status.name;
}

async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('payment event workflow', () => {
  it('a Stripe checkout.session.completed (paid) makes the invoice paid and completes its workflow', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'stripe',
        amountMinor: 50_000,
      });
      const event = checkoutCompleted(attempt);
      expect((await deliverStripe(event)).outcome).toBe('accepted');
      await harness.env.client.workflow.getHandle(invoiceWorkflowId(seeded.invoiceId)).result();
      const invoice = await invoiceRow(seeded.invoiceId);
      expect(invoice).toMatchObject({ status: 'paid', paid_minor: 50_000, payment_pending: false });
      const payment = await harness.db
        .selectFrom('payments')
        .selectAll()
        .where('provider_payment_id', '=', `pi_${attempt.id.slice(0, 8)}`)
        .executeTakeFirstOrThrow();
      expect(payment).toMatchObject({
        status: 'confirmed',
        via_portal: true,
        amount_minor: 50_000,
        attempt_id: attempt.id,
      });
      const attemptAfter = await harness.db
        .selectFrom('payment_attempts')
        .select('status')
        .where('id', '=', attempt.id)
        .executeTakeFirstOrThrow();
      expect(attemptAfter.status).toBe('completed');
    });
  });

  it('the same Stripe event delivered again changes nothing', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'stripe',
        amountMinor: 50_000,
      });
      const event = checkoutCompleted(attempt);
      await deliverStripe(event);
      await paymentWorkflowDone('stripe', event.id);
      const before = await invoiceRow(seeded.invoiceId);
      expect((await deliverStripe(event)).outcome).toBe('duplicate');
      const after = await invoiceRow(seeded.invoiceId);
      expect(after).toEqual(before);
      const payments = await harness.db
        .selectFrom('payments')
        .select('id')
        .where('customer_id', '=', seeded.customer.id)
        .execute();
      expect(payments).toHaveLength(1);
      const stored = await harness.db
        .selectFrom('webhook_events')
        .select('id')
        .where('event_id', '=', event.id)
        .execute();
      expect(stored).toHaveLength(1);
    });
  });

  it('checkout.session.completed with payment_status unpaid only pauses dunning; async_payment_succeeded then pays', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'stripe',
        amountMinor: 50_000,
      });
      const pending = checkoutCompleted(attempt, {
        payment_status: 'unpaid',
        payment_method_types: ['sepa_debit'],
      });
      await deliverStripe(pending);
      await paymentWorkflowDone('stripe', pending.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'open', payment_pending: true });
      const state = await harness.env.client.workflow
        .getHandle(invoiceWorkflowId(seeded.invoiceId))
        .query<{ holds: string[] }>('state');
      expect(state.holds).toContain('payment_pending');

      const succeeded = stripeEvent('checkout.session.async_payment_succeeded', {
        ...(pending.data.object as Record<string, unknown>),
        payment_status: 'paid',
      });
      await deliverStripe(succeeded);
      await harness.env.client.workflow.getHandle(invoiceWorkflowId(seeded.invoiceId)).result();
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'paid', payment_pending: false });
    });
  });

  it('a refund after payment reopens the amount and restarts dunning', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'stripe',
        amountMinor: 50_000,
      });
      const paid = checkoutCompleted(attempt);
      await deliverStripe(paid);
      await harness.env.client.workflow.getHandle(invoiceWorkflowId(seeded.invoiceId)).result();

      const refund = stripeEvent('charge.refunded', {
        id: 'ch_1',
        object: 'charge',
        payment_intent: `pi_${attempt.id.slice(0, 8)}`,
        amount: 50_000,
        amount_refunded: 20_000,
      });
      await deliverStripe(refund);
      await paymentWorkflowDone('stripe', refund.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'open', paid_minor: 30_000 });
      expect(
        await eventually(
          () => workflowStatus(seeded.invoiceId),
          (s) => s === 'RUNNING',
        ),
      ).toBe('RUNNING');

      // The full refund later counts only what was not refunded yet.
      const full = stripeEvent('charge.refunded', {
        id: 'ch_1',
        object: 'charge',
        payment_intent: `pi_${attempt.id.slice(0, 8)}`,
        amount: 50_000,
        amount_refunded: 50_000,
      });
      await deliverStripe(full);
      await paymentWorkflowDone('stripe', full.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'open', paid_minor: 0 });
      const payment = await harness.db
        .selectFrom('payments')
        .select(['status', 'reversed_minor'])
        .where('attempt_id', '=', attempt.id)
        .executeTakeFirstOrThrow();
      expect(payment).toEqual({ status: 'refunded', reversed_minor: 50_000 });
    });
  });

  it('a refund delivered before its payment waits for it, then applies (out-of-order delivery)', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'stripe',
        amountMinor: 50_000,
      });
      const refund = stripeEvent('charge.dispute.created', {
        id: 'dp_1',
        object: 'dispute',
        charge: 'ch_2',
        payment_intent: `pi_${attempt.id.slice(0, 8)}`,
        amount: 50_000,
        reason: 'fraudulent',
      });
      await deliverStripe(refund);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await deliverStripe(checkoutCompleted(attempt));
      await paymentWorkflowDone('stripe', refund.id);
      const invoice = await invoiceRow(seeded.invoiceId);
      expect(invoice).toMatchObject({ status: 'open', paid_minor: 0 });
      const payment = await harness.db
        .selectFrom('payments')
        .select('status')
        .where('attempt_id', '=', attempt.id)
        .executeTakeFirstOrThrow();
      expect(payment.status).toBe('charged_back');
    });
  });

  it('a partial payment lowers the balance and dunning goes on; an overpayment is kept as customer credit', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice({ totalMinor: 50_000 });
      const part = await attemptFor(seeded, [seeded.invoiceId], { provider: 'stripe', amountMinor: 20_000 });
      const partEvent = checkoutCompleted(part);
      await deliverStripe(partEvent);
      await paymentWorkflowDone('stripe', partEvent.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'open', paid_minor: 20_000 });
      expect(await workflowStatus(seeded.invoiceId)).toBe('RUNNING');

      const rest = await attemptFor(seeded, [seeded.invoiceId], { provider: 'stripe', amountMinor: 45_000 });
      await deliverStripe(checkoutCompleted(rest));
      await harness.env.client.workflow.getHandle(invoiceWorkflowId(seeded.invoiceId)).result();
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'paid', paid_minor: 50_000 });
      const customer = await harness.db
        .selectFrom('customers')
        .select('credit_balance_minor')
        .where('id', '=', seeded.customer.id)
        .executeTakeFirstOrThrow();
      expect(customer.credit_balance_minor).toBe(15_000);
    });
  });

  it('a payment in another currency is not applied: it becomes a finance task and dunning goes on', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'stripe',
        amountMinor: 50_000,
      });
      const event = checkoutCompleted(attempt, { currency: 'usd' });
      await deliverStripe(event);
      await paymentWorkflowDone('stripe', event.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'open', paid_minor: 0 });
      const tasks = await harness.db
        .selectFrom('tasks')
        .select(['kind', 'title'])
        .where('customer_id', '=', seeded.customer.id)
        .execute();
      expect(tasks).toEqual([{ kind: 'payment_review', title: 'Payment in USD for invoices in EUR' }]);
      expect(await workflowStatus(seeded.invoiceId)).toBe('RUNNING');
    });
  });

  it('GoCardless: submitted pauses, confirmed pays, paid_out settles, and a charge-back weeks later reopens and restarts dunning', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'gocardless',
        amountMinor: 50_000,
      });
      const payment = `PM${attempt.id.slice(0, 8).toUpperCase()}`;
      const fulfilled = gcEvent('billing_requests', 'fulfilled', {
        billing_request: attempt.provider_reference ?? '',
        payment_request_payment: payment,
        mandate_request_mandate: 'MD0001',
        customer: 'CU0001',
      });
      await deliverGc(fulfilled);
      await paymentWorkflowDone('gocardless', fulfilled.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'open', payment_pending: true });
      const customer = await harness.db
        .selectFrom('customers')
        .select(['gocardless_mandate_id', 'gocardless_customer_id'])
        .where('id', '=', seeded.customer.id)
        .executeTakeFirstOrThrow();
      expect(customer).toEqual({ gocardless_mandate_id: 'MD0001', gocardless_customer_id: 'CU0001' });

      // Out of order: confirmed arrives before submitted; submitted then changes nothing.
      await deliverGc(gcEvent('payments', 'confirmed', { payment }));
      await harness.env.client.workflow.getHandle(invoiceWorkflowId(seeded.invoiceId)).result();
      const submitted = gcEvent('payments', 'submitted', { payment });
      await deliverGc(submitted);
      await paymentWorkflowDone('gocardless', submitted.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'paid', payment_pending: false });

      const paidOut = gcEvent('payments', 'paid_out', { payment });
      await deliverGc(paidOut);
      await paymentWorkflowDone('gocardless', paidOut.id);
      const chargedBack = gcEvent('payments', 'charged_back', { payment });
      await deliverGc(chargedBack);
      await paymentWorkflowDone('gocardless', chargedBack.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({
        status: 'open',
        paid_minor: 0,
        paid_at: null,
      });
      expect(
        await eventually(
          () => workflowStatus(seeded.invoiceId),
          (s) => s === 'RUNNING',
        ),
      ).toBe('RUNNING');
      const row = await harness.db
        .selectFrom('payments')
        .select('status')
        .where('provider_payment_id', '=', payment)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('charged_back');

      const mandate = gcEvent('mandates', 'cancelled', { mandate: 'MD0001' });
      await deliverGc(mandate);
      await paymentWorkflowDone('gocardless', mandate.id);
      const after = await harness.db
        .selectFrom('customers')
        .select('gocardless_mandate_status')
        .where('id', '=', seeded.customer.id)
        .executeTakeFirstOrThrow();
      expect(after.gocardless_mandate_status).toBe('cancelled');
    });
  });

  it('GoCardless: a failed collection lifts "payment pending" and dunning resumes', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'gocardless',
        amountMinor: 50_000,
      });
      const payment = `PM${attempt.id.slice(0, 8).toUpperCase()}F`;
      const fulfilled = gcEvent('billing_requests', 'fulfilled', {
        billing_request: attempt.provider_reference ?? '',
        payment_request_payment: payment,
      });
      await deliverGc(fulfilled);
      await paymentWorkflowDone('gocardless', fulfilled.id);
      const failed = gcEvent('payments', 'failed', { payment });
      await deliverGc(failed);
      await paymentWorkflowDone('gocardless', failed.id);
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'open', payment_pending: false });
      const state = await harness.env.client.workflow
        .getHandle(invoiceWorkflowId(seeded.invoiceId))
        .query<{ holds: string[] }>('state');
      expect(state.holds).not.toContain('payment_pending');
    });
  });

  it('reconciliation feeds an event that never arrived by webhook through the same path, once', async () => {
    await harness.withWorker(async () => {
      const seeded = await openInvoice();
      const attempt = await attemptFor(seeded, [seeded.invoiceId], {
        provider: 'gocardless',
        amountMinor: 50_000,
      });
      const payment = `PM${attempt.id.slice(0, 8).toUpperCase()}R`;
      gocardlessEvents.push(
        gcEvent('billing_requests', 'fulfilled', {
          billing_request: attempt.provider_reference ?? '',
          payment_request_payment: payment,
        }),
        gcEvent('payments', 'confirmed', { payment }),
        gcEvent('payments', 'created', { payment }),
      );
      const run = () =>
        harness.env.client.workflow.execute('reconcilePaymentsWorkflow', {
          taskQueue: harness.taskQueue,
          workflowId: `reconcile-${randomUUID()}`,
          args: [{ lookbackMinutes: 60 }],
        });
      expect(await run()).toEqual({ stripe: null, gocardless: { listed: 3, fed: 2 } });
      await harness.env.client.workflow.getHandle(invoiceWorkflowId(seeded.invoiceId)).result();
      expect(await invoiceRow(seeded.invoiceId)).toMatchObject({ status: 'paid' });
      expect(await run()).toEqual({ stripe: null, gocardless: { listed: 3, fed: 0 } });
      gocardlessEvents.length = 0;
    });
  });

  it('an unreadable stored event fails its workflow without touching any invoice, and keeps the reason', async () => {
    await harness.withWorker(async () => {
      const event = stripeEvent('checkout.session.completed', { id: 'cs_bad', payment_status: 'maybe' });
      expect(() => paymentEventCommands('stripe', event)).toThrow();
      await deliverStripe(event);
      await expect(paymentWorkflowDone('stripe', event.id)).rejects.toThrow();
      const stored = await harness.db
        .selectFrom('webhook_events')
        .select(['processed_at', 'error'])
        .where('event_id', '=', event.id)
        .executeTakeFirstOrThrow();
      expect(stored.processed_at).toBeNull();
      expect(stored.error).toMatch(/unreadable stripe checkout.session.completed/);
    });
  });
});
