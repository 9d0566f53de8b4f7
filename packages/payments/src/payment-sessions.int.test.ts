import { databaseEnv, loadConfig } from '@settle/config';
import { insertInvoice } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GoCardlessGateway } from './gocardless';
import { startPayment } from './payment-sessions';
import { createStripeClient } from './stripe';
import { startStripeMock } from './testing/stripe-mock';

let testDb: TestDatabase;
let stripeMock: Awaited<ReturnType<typeof startStripeMock>>;

beforeAll(async () => {
  [testDb, stripeMock] = await Promise.all([
    createTestDatabase(loadConfig(databaseEnv).DATABASE_URL),
    startStripeMock(),
  ]);
});
afterAll(async () => {
  await stripeMock?.stop();
  await testDb?.drop();
});

async function tenantWithInvoices(currencies: string[] = ['EUR', 'EUR']) {
  const { organization, customer } = await seedTenant(testDb.db);
  const invoices = [];
  for (const [i, currency] of currencies.entries()) {
    invoices.push(
      await insertInvoice(testDb.db, {
        organization_id: organization.id,
        customer_id: customer.id,
        number: `INV-${i + 1}`,
        currency,
        total_minor: 10_000 * (i + 1),
        paid_minor: i === 0 ? 2_500 : 0,
        issue_date: '2026-10-01',
        due_date: `2026-10-${String(10 + i).padStart(2, '0')}`,
        lines: [],
      }),
    );
  }
  return { organization, customer, invoices };
}

const urls = {
  successUrl: 'http://portal.test/p/payments/{ATTEMPT_ID}',
  cancelUrl: 'http://portal.test/p/pay',
};

describe('startPayment', () => {
  it('creates a Stripe Checkout Session (stripe-mock) for the open balance of several invoices, tied back by metadata', async () => {
    const { organization, customer, invoices } = await tenantWithInvoices();
    const stripe = createStripeClient({ apiBaseUrl: stripeMock.url });
    const result = await startPayment(
      { db: testDb.db, portalBaseUrl: 'http://portal.test', stripe },
      {
        organizationId: organization.id,
        customerId: customer.id,
        invoiceIds: invoices.map((i) => i.id),
        method: 'card',
        ...urls,
      },
    );
    expect(result.mode).toBe('stripe');
    expect(result.redirectUrl).toMatch(/^https?:\/\//);
    const attempt = await testDb.db
      .selectFrom('payment_attempts')
      .selectAll()
      .where('id', '=', result.attemptId)
      .executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({
      provider: 'stripe',
      kind: 'checkout_session',
      amount_minor: 7_500 + 20_000,
      currency: 'EUR',
      status: 'open',
      redirect_url: result.redirectUrl,
    });
    expect(attempt.provider_reference).toMatch(/^cs_/);
    expect([...attempt.invoice_ids].sort()).toEqual(invoices.map((i) => i.id).sort());
  });

  it('without Stripe keys points at the local test checkout', async () => {
    const { organization, customer, invoices } = await tenantWithInvoices(['EUR']);
    const result = await startPayment(
      { db: testDb.db, portalBaseUrl: 'http://portal.test/' },
      {
        organizationId: organization.id,
        customerId: customer.id,
        invoiceIds: [invoices[0]?.id ?? ''],
        method: 'card',
        ...urls,
      },
    );
    expect(result).toMatchObject({
      mode: 'local',
      redirectUrl: `http://portal.test/p/test-checkout/${result.attemptId}`,
    });
  });

  it('creates a GoCardless Billing Request flow through the gateway, with the attempt in its metadata', async () => {
    const { organization, customer, invoices } = await tenantWithInvoices(['EUR']);
    const calls: Parameters<GoCardlessGateway['createBillingRequestFlow']>[0][] = [];
    const gocardless: GoCardlessGateway = {
      async createBillingRequestFlow(input) {
        calls.push(input);
        return {
          billingRequestId: 'BRQ123',
          authorisationUrl: 'https://pay-sandbox.gocardless.com/flow/BRF123',
        };
      },
      async listEventsSince() {
        return [];
      },
    };
    const result = await startPayment(
      { db: testDb.db, portalBaseUrl: 'http://portal.test', gocardless },
      {
        organizationId: organization.id,
        customerId: customer.id,
        invoiceIds: [invoices[0]?.id ?? ''],
        method: 'direct_debit',
        ...urls,
      },
    );
    expect(result).toMatchObject({
      mode: 'gocardless',
      redirectUrl: 'https://pay-sandbox.gocardless.com/flow/BRF123',
    });
    expect(calls[0]).toMatchObject({
      amountMinor: 7_500,
      currency: 'EUR',
      metadata: { settle_attempt_id: result.attemptId },
      redirectUri: `http://portal.test/p/payments/${result.attemptId}`,
    });
  });

  it('refuses invoices in several currencies, another customer’s invoice, and a closed invoice, writing nothing', async () => {
    const mixed = await tenantWithInvoices(['EUR', 'PLN']);
    const other = await tenantWithInvoices(['EUR']);
    const base = {
      organizationId: mixed.organization.id,
      customerId: mixed.customer.id,
      method: 'card' as const,
      ...urls,
    };
    const deps = { db: testDb.db, portalBaseUrl: 'http://portal.test' };
    await expect(
      startPayment(deps, { ...base, invoiceIds: mixed.invoices.map((i) => i.id) }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      startPayment(deps, { ...base, invoiceIds: [other.invoices[0]?.id ?? ''] }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await testDb.db
      .updateTable('invoices')
      .set({ status: 'void' })
      .where('id', '=', mixed.invoices[0]?.id ?? '')
      .execute();
    await expect(
      startPayment(deps, { ...base, invoiceIds: [mixed.invoices[0]?.id ?? ''] }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const attempts = await testDb.db
      .selectFrom('payment_attempts')
      .select('id')
      .where('customer_id', '=', mixed.customer.id)
      .execute();
    expect(attempts).toHaveLength(0);
  });

  it('marks the attempt failed and says the provider is unavailable when Stripe cannot be reached', async () => {
    const { organization, customer, invoices } = await tenantWithInvoices(['EUR']);
    const stripe = createStripeClient({ apiBaseUrl: 'http://127.0.0.1:1' });
    await expect(
      startPayment(
        { db: testDb.db, portalBaseUrl: 'http://portal.test', stripe },
        {
          organizationId: organization.id,
          customerId: customer.id,
          invoiceIds: [invoices[0]?.id ?? ''],
          method: 'card',
          ...urls,
        },
      ),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const attempt = await testDb.db
      .selectFrom('payment_attempts')
      .select('status')
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(attempt.status).toBe('failed');
  });
});
