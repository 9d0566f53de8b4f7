import { randomUUID } from 'node:crypto';
import { databaseEnv, loadConfig } from '@settle/config';
import { insertInvoice, insertWebhookEventOnce } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { type GoCardlessEvent, paymentEventCommands } from '@settle/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPaymentEvent } from './apply-payment-event';

/**
 * Refunds and charge-backs against what a payment actually allocated. Each event takes the path the
 * payment event workflow's activity takes: stored once as a webhook event, mapped to commands by the
 * provider edge, applied by `applyPaymentEvent` in one transaction. No workflow runs here; the
 * signals the event decided on are returned and checked where they matter.
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

async function invoicesOf(totals: number[]) {
  const tenant = await seedTenant(testDb.db);
  const invoices = [];
  for (const [index, total] of totals.entries()) {
    invoices.push(
      await insertInvoice(testDb.db, {
        organization_id: tenant.organization.id,
        customer_id: tenant.customer.id,
        number: `R-${index + 1}`,
        currency: 'EUR',
        total_minor: total,
        issue_date: '2026-10-01',
        // Oldest due first: a payment over several invoices pays R-1 before R-2.
        due_date: `2026-11-0${index + 1}`,
        lines: [],
      }),
    );
  }
  return { ...tenant, invoices };
}

async function attemptFor(
  tenant: { organization: { id: string }; customer: { id: string } },
  invoiceIds: string[],
  provider: 'stripe' | 'gocardless',
  amountMinor: number,
) {
  return testDb.db
    .insertInto('payment_attempts')
    .values({
      organization_id: tenant.organization.id,
      customer_id: tenant.customer.id,
      provider,
      kind: provider === 'stripe' ? 'checkout_session' : 'billing_request',
      provider_reference: `${provider === 'stripe' ? 'cs_test_' : 'BRQ'}${randomUUID().slice(0, 8)}`,
      invoice_ids: invoiceIds,
      amount_minor: amountMinor,
      currency: 'EUR',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What the payment event activity does with a stored event: map it, apply it. */
async function deliver(provider: 'stripe' | 'gocardless', eventId: string, type: string, payload: unknown) {
  const { event } = await insertWebhookEventOnce(testDb.db, { provider, eventId, type, payload });
  return applyPaymentEvent(testDb.db, {
    webhookEventId: event.id,
    commands: paymentEventCommands(provider, payload),
  });
}

function stripeEvent(type: string, object: Record<string, unknown>) {
  const event = {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  };
  return { event, deliver: () => deliver('stripe', event.id, type, event) };
}

async function payByCard(attempt: { id: string; provider_reference: string | null; amount_minor: number }) {
  const paymentIntent = `pi_${attempt.id.replaceAll('-', '').slice(0, 12)}`;
  await stripeEvent('checkout.session.completed', {
    id: attempt.provider_reference,
    object: 'checkout.session',
    payment_status: 'paid',
    payment_intent: paymentIntent,
    amount_total: attempt.amount_minor,
    currency: 'eur',
    metadata: { settle_attempt_id: attempt.id },
    payment_method_types: ['card'],
  }).deliver();
  return paymentIntent;
}

/** Stripe's `charge.refunded`: `amount_refunded` is the charge's cumulative refunded amount. */
const refunded = (paymentIntent: string, amountMinor: number, amountRefundedMinor: number) =>
  stripeEvent('charge.refunded', {
    id: `ch_${paymentIntent.slice(3)}`,
    object: 'charge',
    payment_intent: paymentIntent,
    amount: amountMinor,
    amount_refunded: amountRefundedMinor,
  });

function gcEvent(resource_type: string, action: string, links: Record<string, string>) {
  const event: GoCardlessEvent = {
    id: `EV${randomUUID().replaceAll('-', '').slice(0, 14).toUpperCase()}`,
    created_at: new Date().toISOString(),
    resource_type,
    action,
    details: { cause: action, description: `test: ${action}` },
    links,
    metadata: {},
  };
  return deliver('gocardless', event.id, `${resource_type}.${action}`, event);
}

async function books(tenant: { customer: { id: string } }, paymentIntent: string) {
  const [invoices, customer, payment] = await Promise.all([
    testDb.db
      .selectFrom('invoices')
      .select(['number', 'paid_minor', 'status'])
      .where('customer_id', '=', tenant.customer.id)
      .orderBy('number')
      .execute(),
    testDb.db
      .selectFrom('customers')
      .select('credit_balance_minor')
      .where('id', '=', tenant.customer.id)
      .executeTakeFirstOrThrow(),
    testDb.db
      .selectFrom('payments')
      .select(['status', 'reversed_minor'])
      .where('provider_payment_id', '=', paymentIntent)
      .executeTakeFirstOrThrow(),
  ]);
  return { invoices, credit: customer.credit_balance_minor, payment };
}

describe('refunds and charge-backs reverse what the payment allocated', () => {
  it('two cumulative refunds of an overpaid payment (100 on an invoice of 60, 40 credit) reopen the invoice fully', async () => {
    const tenant = await invoicesOf([6_000]);
    const [invoice] = tenant.invoices;
    const attempt = await attemptFor(tenant, [invoice!.id], 'stripe', 10_000);
    const paymentIntent = await payByCard(attempt);
    expect(await books(tenant, paymentIntent)).toEqual({
      invoices: [{ number: 'R-1', paid_minor: 6_000, status: 'paid' }],
      credit: 4_000,
      payment: { status: 'confirmed', reversed_minor: 0 },
    });

    // 50 of 100: the 40 of credit first, then 10 of the invoice.
    const first = await refunded(paymentIntent, 10_000, 5_000).deliver();
    expect(first.signals).toEqual([
      expect.objectContaining({ invoiceId: invoice!.id, signal: 'paymentFailed', startIfEnded: true }),
    ]);
    // The failure is named by its event, so the workflow says it once however often it is signalled.
    expect(first.signals[0]?.failureKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await books(tenant, paymentIntent)).toEqual({
      invoices: [{ number: 'R-1', paid_minor: 5_000, status: 'open' }],
      credit: 0,
      payment: { status: 'confirmed', reversed_minor: 5_000 },
    });

    // All 100: the other 50 all come off the invoice.
    await refunded(paymentIntent, 10_000, 10_000).deliver();
    expect(await books(tenant, paymentIntent)).toEqual({
      invoices: [{ number: 'R-1', paid_minor: 0, status: 'open' }],
      credit: 0,
      payment: { status: 'refunded', reversed_minor: 10_000 },
    });
  });

  it('a redelivered or out-of-order refund with a lower cumulative amount changes nothing', async () => {
    const tenant = await invoicesOf([6_000]);
    const attempt = await attemptFor(tenant, [tenant.invoices[0]!.id], 'stripe', 10_000);
    const paymentIntent = await payByCard(attempt);
    const seventy = refunded(paymentIntent, 10_000, 7_000);
    await seventy.deliver();
    const after = await books(tenant, paymentIntent);
    expect(after).toEqual({
      invoices: [{ number: 'R-1', paid_minor: 3_000, status: 'open' }],
      credit: 0,
      payment: { status: 'confirmed', reversed_minor: 7_000 },
    });

    // The earlier refund (cumulative 20) arrives late, under its own event id: nothing to take back.
    const late = await refunded(paymentIntent, 10_000, 2_000).deliver();
    expect(late.signals).toEqual([]);
    expect(await books(tenant, paymentIntent)).toEqual(after);
    // The same event again: already applied.
    expect((await seventy.deliver()).alreadyApplied).toBe(true);
    expect(await books(tenant, paymentIntent)).toEqual(after);
  });

  it('refunds of a payment over two invoices take back credit, then the invoice paid last, then the first', async () => {
    // 100 pays R-1 (30, due first) and R-2 (50); 20 is credit.
    const tenant = await invoicesOf([3_000, 5_000]);
    const attempt = await attemptFor(
      tenant,
      tenant.invoices.map((i) => i.id),
      'stripe',
      10_000,
    );
    const paymentIntent = await payByCard(attempt);
    const steps: [number, { r1: number; r2: number; credit: number }][] = [
      [1_000, { r1: 3_000, r2: 5_000, credit: 1_000 }],
      [3_000, { r1: 3_000, r2: 4_000, credit: 0 }],
      [2_500, { r1: 3_000, r2: 4_000, credit: 0 }], // lower cumulative amount: nothing
      [7_500, { r1: 2_500, r2: 0, credit: 0 }],
      [10_000, { r1: 0, r2: 0, credit: 0 }],
    ];
    for (const [cumulative, expected] of steps) {
      await refunded(paymentIntent, 10_000, cumulative).deliver();
      const { invoices, credit } = await books(tenant, paymentIntent);
      expect({ cumulative, r1: invoices[0]?.paid_minor, r2: invoices[1]?.paid_minor, credit }).toEqual({
        cumulative,
        ...expected,
      });
    }
    expect((await books(tenant, paymentIntent)).payment).toEqual({
      status: 'refunded',
      reversed_minor: 10_000,
    });
  });

  it('GoCardless: a charge-back of an overpaid direct debit takes back credit and invoice; a late failure settled after it changes nothing', async () => {
    const tenant = await invoicesOf([6_000]);
    const attempt = await attemptFor(tenant, [tenant.invoices[0]!.id], 'gocardless', 10_000);
    const payment = `PM${attempt.id.replaceAll('-', '').slice(0, 10).toUpperCase()}`;
    await gcEvent('billing_requests', 'fulfilled', {
      billing_request: attempt.provider_reference ?? '',
      payment_request_payment: payment,
    });
    await gcEvent('payments', 'confirmed', { payment });
    await gcEvent('payments', 'paid_out', { payment });
    expect(await books(tenant, payment)).toEqual({
      invoices: [{ number: 'R-1', paid_minor: 6_000, status: 'paid' }],
      credit: 4_000,
      payment: { status: 'paid_out', reversed_minor: 0 },
    });

    const chargedBack = await gcEvent('payments', 'charged_back', { payment });
    expect(chargedBack.signals).toEqual([
      expect.objectContaining({ invoiceId: tenant.invoices[0]!.id, signal: 'paymentFailed' }),
    ]);
    const after = await books(tenant, payment);
    expect(after).toEqual({
      invoices: [{ number: 'R-1', paid_minor: 0, status: 'open' }],
      credit: 0,
      payment: { status: 'charged_back', reversed_minor: 10_000 },
    });
    // A late failure settled for the same payment is the same charge-back: nothing more to take back.
    const settled = await gcEvent('payments', 'late_failure_settled', { payment });
    expect(settled.signals).toEqual([]);
    expect(await books(tenant, payment)).toEqual(after);
  });

  it('a partial refund, then a charge-back of the whole payment, takes back only what the refund left', async () => {
    const tenant = await invoicesOf([6_000]);
    const attempt = await attemptFor(tenant, [tenant.invoices[0]!.id], 'stripe', 10_000);
    const paymentIntent = await payByCard(attempt);
    await refunded(paymentIntent, 10_000, 5_000).deliver();
    await stripeEvent('charge.dispute.created', {
      id: `dp_${paymentIntent.slice(3)}`,
      object: 'dispute',
      charge: `ch_${paymentIntent.slice(3)}`,
      payment_intent: paymentIntent,
      amount: 10_000,
      reason: 'fraudulent',
    }).deliver();
    expect(await books(tenant, paymentIntent)).toEqual({
      invoices: [{ number: 'R-1', paid_minor: 0, status: 'open' }],
      credit: 0,
      payment: { status: 'charged_back', reversed_minor: 10_000 },
    });
  });
});
