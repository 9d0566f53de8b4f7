import { databaseEnv, loadConfig } from '@settle/config';
import { insertInvoice } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The local test checkout marks invoices paid without money: a portal served over HTTPS (a deployment)
 * must never offer it, whatever else is configured.
 */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase(loadConfig(databaseEnv).DATABASE_URL);
  // The portal reads its configuration once, when its modules load.
  process.env.DATABASE_URL = testDb.url;
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  process.env.PORTAL_BASE_URL = 'https://portal.example.com';
  process.env.PORTAL_SESSION_SECRET = 'a-deployment-secret-of-at-least-thirty-two-characters';
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.GOCARDLESS_ACCESS_TOKEN;
});
afterAll(async () => {
  const { db } = await import('../db.server');
  await db.destroy();
  await testDb?.drop();
});

describe('a deployed portal without provider keys', () => {
  it('refuses to start a card or direct-debit payment instead of falling back to the test checkout', async () => {
    const { startConfiguredPayment } = await import('../payments.server');
    const { organization, customer } = await seedTenant(testDb.db);
    const invoice = await insertInvoice(testDb.db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number: 'INV-1',
      currency: 'EUR',
      total_minor: 10_000,
      issue_date: '2026-10-01',
      due_date: '2026-10-31',
      lines: [],
    });
    for (const method of ['card', 'direct_debit'] as const) {
      await expect(
        startConfiguredPayment(
          { db: testDb.db, portalBaseUrl: 'https://portal.example.com' },
          {
            organizationId: organization.id,
            customerId: customer.id,
            invoiceIds: [invoice.id],
            method,
            successUrl: 'https://portal.example.com/p/payments/{ATTEMPT_ID}',
            cancelUrl: 'https://portal.example.com/p/pay',
          },
        ),
      ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    }
    const attempts = await testDb.db.selectFrom('payment_attempts').select('id').execute();
    expect(attempts).toHaveLength(0);
  });

  it('answers 404 on the test checkout page, before any session or attempt is looked at', async () => {
    const route = await import('../routes/p.test-checkout.$attemptId');
    const request = new Request(
      'https://portal.example.com/p/test-checkout/00000000-0000-4000-8000-000000000000',
    );
    const args = { request, params: { attemptId: '00000000-0000-4000-8000-000000000000' }, context: {} };
    await expect(route.loader(args)).rejects.toMatchObject({ status: 404 });
    await expect(
      route.action({ ...args, request: new Request(request.url, { method: 'POST', body: new FormData() }) }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
