import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@settle/db';
import { addDays, localDateOf } from '@settle/domain';
import { signGoCardlessPayload, signStripePayload } from '@settle/payments';
import { invoiceWorkflowId } from '@settle/workflows';
import { Client, Connection } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations } from './axe';
import { launchBrowser } from './browser';

/**
 * The payments-to-paid path on the running stack (the main command's processes, demo data, local
 * provider modes): by API and signed webhooks as an integration would, and by a debtor in a browser.
 */

const stack = inject('stack');
// The local secrets: what the stack's API verifies and the portal's test checkout signs with.
const STRIPE_SECRET = 'whsec_settle_local_only_not_secret';
const GOCARDLESS_SECRET = 'gocardless_settle_local_only_not_secret';

let browser: Browser;
let db: Db;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb({ connectionString: stack.databaseUrl, maxConnections: 2 });
  connection = await Connection.connect({ address: stack.temporalAddress });
  temporal = new Client({ connection });
});
afterAll(async () => {
  await browser?.close();
  await connection?.close();
  await db?.destroy();
});

async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function invoiceStatus(id: string) {
  return db
    .selectFrom('invoices')
    .select(['status', 'paid_minor', 'payment_pending'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function workflowStatus(invoiceId: string): Promise<string> {
  return (await temporal.workflow.getHandle(invoiceWorkflowId(invoiceId)).describe()).status.name;
}

async function postStripe(event: unknown): Promise<Response> {
  const body = JSON.stringify(event);
  return fetch(`${stack.apiUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signStripePayload(body, STRIPE_SECRET),
    },
    body,
  });
}

async function postGoCardless(
  events: { resource_type: string; action: string; links: Record<string, string> }[],
) {
  const body = JSON.stringify({
    events: events.map((event) => ({
      id: `EV${randomUUID().replaceAll('-', '').slice(0, 14).toUpperCase()}`,
      created_at: new Date().toISOString(),
      details: { origin: 'bank', cause: event.action },
      metadata: {},
      ...event,
    })),
  });
  return fetch(`${stack.apiUrl}/webhooks/gocardless`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-signature': signGoCardlessPayload(body, GOCARDLESS_SECRET),
    },
    body,
  });
}

async function createInvoiceByApi(): Promise<{ id: string; customerId: string; organizationId: string }> {
  const customer = await db
    .selectFrom('customers')
    .innerJoin('organizations as o', 'o.id', 'customers.organization_id')
    .select(['customers.id', 'customers.organization_id'])
    .where('o.slug', '=', 'demo')
    .orderBy('customers.code')
    .executeTakeFirstOrThrow();
  const today = localDateOf(Date.now(), 'Europe/Warsaw');
  const response = await fetch(`${stack.apiUrl}/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      customerId: customer.id,
      number: `E2E-${randomUUID().slice(0, 8)}`,
      currency: 'EUR',
      issueDate: today,
      dueDate: addDays(today, 14),
      lines: [{ description: 'Consulting', quantityMilli: 2_000, unitPriceMinor: 25_000 }],
    }),
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as { id: string };
  return { id: created.id, customerId: customer.id, organizationId: customer.organization_id };
}

async function localAttempt(
  invoice: { id: string; customerId: string; organizationId: string },
  kind: 'checkout_session' | 'billing_request',
) {
  // What the portal's "pay" creates in local mode; the provider's side is then played by signed webhooks.
  const id = randomUUID();
  await db
    .insertInto('payment_attempts')
    .values({
      id,
      organization_id: invoice.organizationId,
      customer_id: invoice.customerId,
      provider: 'local',
      kind,
      provider_reference: `local_${id}`,
      invoice_ids: [invoice.id],
      amount_minor: 50_000,
      currency: 'EUR',
    })
    .execute();
  return id;
}

describe('payments through the API and provider webhooks', () => {
  it('an invoice created by the API starts its workflow; a signed checkout.session.completed pays it and completes the workflow; the same event again changes nothing', async () => {
    const invoice = await createInvoiceByApi();
    expect(
      await eventually(
        () => workflowStatus(invoice.id),
        (s) => s === 'RUNNING',
      ),
    ).toBe('RUNNING');

    const attemptId = await localAttempt(invoice, 'checkout_session');
    const event = {
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: `local_${attemptId}`,
          object: 'checkout.session',
          payment_status: 'paid',
          payment_intent: `pi_e2e_${attemptId.slice(0, 8)}`,
          amount_total: 50_000,
          currency: 'eur',
          metadata: { settle_attempt_id: attemptId },
        },
      },
    };
    const started = Date.now();
    expect((await postStripe(event)).status).toBe(200);
    await temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).result();
    // Reported, not asserted: the latency target is a measurement, not a unit-test timer.
    console.info(`webhook accepted → invoice workflow completed in ${Date.now() - started} ms`);
    expect(await invoiceStatus(invoice.id)).toEqual({
      status: 'paid',
      paid_minor: 50_000,
      payment_pending: false,
    });

    const again = await postStripe(event);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect(await invoiceStatus(invoice.id)).toEqual({
      status: 'paid',
      paid_minor: 50_000,
      payment_pending: false,
    });
    const payments = await db
      .selectFrom('payment_allocations')
      .select('amount_minor')
      .where('invoice_id', '=', invoice.id)
      .execute();
    expect(payments).toEqual([{ amount_minor: 50_000 }]);
  });

  it('a GoCardless charge-back after paid_out reopens the invoice and reminders resume', async () => {
    const invoice = await createInvoiceByApi();
    const attemptId = await localAttempt(invoice, 'billing_request');
    const payment = `PMe2e${attemptId.slice(0, 8)}`;
    expect(
      (
        await postGoCardless([
          {
            resource_type: 'billing_requests',
            action: 'fulfilled',
            links: { billing_request: `local_${attemptId}`, payment_request_payment: payment },
          },
        ])
      ).status,
    ).toBe(200);
    expect(
      await eventually(
        () => invoiceStatus(invoice.id),
        (i) => i.payment_pending,
      ),
    ).toMatchObject({ payment_pending: true });
    await postGoCardless([{ resource_type: 'payments', action: 'confirmed', links: { payment } }]);
    await temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).result();
    await postGoCardless([{ resource_type: 'payments', action: 'paid_out', links: { payment } }]);
    await eventually(
      () =>
        db
          .selectFrom('payments')
          .select('status')
          .where('provider_payment_id', '=', payment)
          .executeTakeFirstOrThrow(),
      (p) => p.status === 'paid_out',
    );

    await postGoCardless([{ resource_type: 'payments', action: 'charged_back', links: { payment } }]);
    expect(
      await eventually(
        () => invoiceStatus(invoice.id),
        (i) => i.status === 'open',
      ),
    ).toEqual({
      status: 'open',
      paid_minor: 0,
      payment_pending: false,
    });
    expect(
      await eventually(
        () => workflowStatus(invoice.id),
        (s) => s === 'RUNNING',
      ),
    ).toBe('RUNNING');
    // The new run plans the rest of the sequence (already-sent steps are not sent again: same keys).
    const state = await eventually(
      () =>
        temporal.workflow
          .getHandle(invoiceWorkflowId(invoice.id))
          .query<{ status: string; nextStep: unknown }>('state'),
      (s) => s.nextStep !== null,
    );
    expect(state.status).toBe('active');
    expect(state.nextStep).not.toBeNull();
  });

  it('a malformed invoice request gets a 4xx naming the problem and writes nothing', async () => {
    const before = await db
      .selectFrom('invoices')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const response = await fetch(`${stack.apiUrl}/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: 'nope',
        number: '',
        currency: 'EURO',
        issueDate: '2026-13-01',
        lines: [],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { field: string }[] } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details.map((d) => d.field)).toEqual(
      expect.arrayContaining(['customerId', 'currency', 'lines']),
    );
    const after = await db
      .selectFrom('invoices')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

async function postApi<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * A customer of this locale with one invoice, created through the API, and the reminder e-mail its
 * workflow sends: issued a week ago, the invoice's issue e-mail is a missed step and goes out at once
 * whatever the hour (later steps lie in the future). Its own data, so no other journey interferes.
 */
async function reminderForNewInvoice(locale: 'de' | 'pl') {
  const suffix = randomUUID().slice(0, 8);
  const zone = locale === 'de' ? 'Europe/Berlin' : 'Europe/Warsaw';
  const customer = await postApi<{ id: string }>('/v1/customers', {
    code: `PAY-${locale.toUpperCase()}-${suffix}`,
    name: locale === 'de' ? `Kartenzahler GmbH ${suffix}` : `Płatnik Kartą Sp. z o.o. ${suffix}`,
    email: `pay-${suffix}@example.test`,
    country: locale === 'de' ? 'DE' : 'PL',
    locale,
    timeZone: zone,
  });
  const today = localDateOf(Date.now(), zone);
  const invoice = await postApi<{ id: string; number: string }>('/v1/invoices', {
    customerId: customer.id,
    number: `CARD-${suffix}`,
    currency: 'EUR',
    issueDate: addDays(today, -7),
    dueDate: addDays(today, 14),
    lines: [{ description: 'Service', quantityMilli: 1000, unitPriceMinor: 42_000 }],
  });
  const message = await eventually(
    () =>
      db
        .selectFrom('communications')
        .select('body_text')
        .where('customer_id', '=', customer.id)
        .where('channel', '=', 'email')
        .executeTakeFirst(),
    (row) => row !== undefined,
    30_000,
  );
  const link = message ? /(https?:\/\/\S+\/p\/[A-Za-z0-9_-]+)/.exec(message.body_text)?.[1] : undefined;
  if (!link) throw new Error(`no reminder e-mail with a portal link for the new ${locale} customer`);
  return { link, invoiceId: invoice.id, number: invoice.number };
}

describe('a debtor pays by card from the link in a reminder', () => {
  for (const locale of ['de', 'pl'] as const) {
    it(`(${locale}) link → statement → pay by card in local test mode → paid, and the workflow has completed`, async () => {
      const reminder = await reminderForNewInvoice(locale);
      const page = await browser.newPage();
      await page.goto(reminder.link);
      await page.waitForURL(/\/p$/);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      await page.goto(`${stack.portalUrl}/p/pay?invoice=${reminder.invoiceId}`);
      await page.check(`input[name=scope][value=invoices]`);
      await page.check(`input[name=invoiceIds][value="${reminder.invoiceId}"]`);
      await page.check('input[name=method][value=card]');
      await page.locator('form.portal-form button[type=submit]').click();
      await page.waitForURL(/\/p\/test-checkout\//);
      await page.getByText('TEST MODE').first().waitFor();
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Pay with the test card' }).click();
      await page.waitForURL(/\/p\/payments\//);
      // The page refreshes itself until the webhook has landed.
      await page.locator('[data-testid=attempt-invoice] .badge-paid').waitFor({ timeout: 20_000 });

      expect((await invoiceStatus(reminder.invoiceId)).status).toBe('paid');
      const result = await temporal.workflow
        .getHandle(invoiceWorkflowId(reminder.invoiceId))
        .result()
        .then((r: { outcome: string }) => r.outcome);
      expect(result).toBe('paid');
      await page.close();
    });
  }
});
