import { createDb, type Db } from '@settle/db';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { translator } from '../../apps/portal/app/i18n/messages';
import { expectNoAxeViolations } from './axe';
import { launchBrowser } from './browser';

/**
 * Debtor journeys in a browser against the running demo stack: the link from a real reminder in the
 * outbox, the statement, invoice, dispute and promise pages in several languages, each page checked
 * with axe, and the invoice workflows paused in Temporal.
 */

const stack = inject('stack');
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
  await db?.destroy();
  await connection?.close();
});

/** The portal link in the newest reminder e-mail sent to a demo customer (waits for the worker). */
async function linkFromOutbox(
  customerCode: string,
): Promise<{ url: string; customerId: string; invoiceNumbers: string[] }> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const message = await db
      .selectFrom('communications as c')
      .innerJoin('customers as cu', 'cu.id', 'c.customer_id')
      .select(['c.id', 'c.body_text', 'c.body_html', 'cu.id as customer_id'])
      .where('cu.code', '=', customerCode)
      .where('c.channel', '=', 'email')
      .orderBy('c.created_at', 'desc')
      .executeTakeFirst();
    const match = `${message?.body_text ?? ''} ${message?.body_html ?? ''}`.match(
      /https?:\/\/[^\s"'<>]+\/p\/[\w-]{43}/,
    );
    if (message && match) {
      // The link names the portal the worker was configured with; open it on the test stack's portal.
      const path = new URL(match[0]).pathname;
      const listed = await db
        .selectFrom('communication_invoices as ci')
        .innerJoin('invoices as i', 'i.id', 'ci.invoice_id')
        .select('i.number')
        .where('ci.communication_id', '=', message.id)
        .execute();
      return {
        url: `${stack.portalUrl}${path}`,
        customerId: message.customer_id,
        invoiceNumbers: listed.map((row) => row.number),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`no reminder e-mail with a portal link for ${customerCode}`);
}

/** On a phone the page fits the screen: only tables scroll sideways, inside their own box. */
async function expectFitsPhone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 360, height: 740 });
  const tooWide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter(
        (el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-scroll'),
      )
      .map(
        (el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`,
      ),
  );
  expect(tooWide, page.url()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function workflowHolds(invoiceId: string): Promise<string[]> {
  const state = await temporal.workflow.getHandle(`invoice-${invoiceId}`).query<{ holds: string[] }>('state');
  return state.holds;
}

async function waitForHold(invoiceId: string, hold: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  let holds: string[] = [];
  while (Date.now() < deadline) {
    holds = await workflowHolds(invoiceId);
    if (holds.includes(hold)) return holds;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return holds;
}

function isoDate(daysFromToday: number): string {
  return new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);
}

describe('statement from a reminder e-mail', () => {
  for (const [code, locale, heading] of [
    ['PL-001', 'pl', 'Twój wyciąg'],
    ['FR-001', 'fr', 'Votre relevé'],
  ] as const) {
    it(`opens the ${locale} statement from the link in the e-mail, with bank details, and every page passes axe`, async () => {
      const t = translator(locale);
      const { url, invoiceNumbers } = await linkFromOutbox(code);
      const page = await browser.newPage();
      await page.goto(url);
      expect(new URL(page.url()).pathname).toBe('/p');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(heading);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      await expect(page.getByTestId('bank-details').textContent()).resolves.toContain(
        'PL61109010140000071219812874',
      );
      await expect(page.getByText('Nordwind Trading Sp. z o.o.').first().isVisible()).resolves.toBe(true);
      await expectNoAxeViolations(page);
      await expectFitsPhone(page);

      // The invoice page of one the e-mail is about: lines, status and the timeline of messages sent
      // (never the next reminder). Another open invoice may not have had its reminder yet: one
      // reminder per customer and day, and the day's went out without it.
      await page
        .locator('section[aria-labelledby="open-invoices"] tbody a', { hasText: invoiceNumbers[0] ?? '' })
        .first()
        .click();
      await page.waitForURL(/\/p\/invoices\//);
      await page.locator('section[aria-labelledby="lines"]').waitFor();
      await expect(
        page.getByRole('heading', { level: 2, name: t('messagesSent') }).isVisible(),
      ).resolves.toBe(true);
      await expect(page.locator('#timeline ~ ol li').count()).resolves.toBeGreaterThan(0);
      await expectNoAxeViolations(page);

      await expectFitsPhone(page);
      for (const path of ['/p/pay', '/p/dispute', '/p/promise']) {
        await page.goto(`${stack.portalUrl}${path}`);
        await expectNoAxeViolations(page);
        await expectFitsPhone(page);
      }
      await page.close();
    });
  }

  it('is private (no-store, not framable) and works from the keyboard: the skip link moves focus to the content', async () => {
    const { url } = await linkFromOutbox('FR-001');
    const page = await browser.newPage();
    const response = await page.goto(url);
    // Private pages: never cached for the next user of a shared computer, never framed by another site.
    expect(response?.headers()['cache-control']).toBe('private, no-store');
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('content');
    await page.close();
  });

  it('switches language with ?lang= and remembers it', async () => {
    const { url } = await linkFromOutbox('FR-001');
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your statement' }).waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your statement');
    await page.goto(`${stack.portalUrl}/p/pay`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pay');
    await page.close();
  });

  it("answers another customer's invoice with a 404 page in the debtor's language", async () => {
    const { url } = await linkFromOutbox('DE-001');
    const foreign = await db
      .selectFrom('invoices as i')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .select('i.id')
      .where('c.code', '=', 'FR-002')
      .executeTakeFirstOrThrow();
    const page = await browser.newPage();
    await page.goto(url);
    const response = await page.goto(`${stack.portalUrl}/p/invoices/${foreign.id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      translator('de')('notFound'),
    );
    await expectNoAxeViolations(page);
    const pdf = await page.request.get(`${stack.portalUrl}/p/invoices/${foreign.id}.pdf`);
    expect(pdf.status()).toBe(404);
    await page.close();
  });

  it('serves the PDF of an own invoice', async () => {
    const { url, customerId } = await linkFromOutbox('FR-001');
    const page = await browser.newPage();
    await page.goto(url);
    const invoice = await db
      .selectFrom('invoices')
      .select('id')
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow();
    const response = await page.request.get(`${stack.portalUrl}/p/invoices/${invoice.id}.pdf`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('shows the signed-out page without a session and the expired-link page with its fresh-link form, both accessible', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.portalUrl}/p`);
    expect(new URL(page.url()).pathname).toBe('/p/signed-out');
    await expectNoAxeViolations(page);
    const customer = await db
      .selectFrom('customers')
      .select(['id', 'organization_id', 'email'])
      .where('code', '=', 'DE-003')
      .executeTakeFirstOrThrow();
    const { createPortalLink } = await import('@settle/core');
    const old = await createPortalLink(db, {
      organizationId: customer.organization_id,
      customerId: customer.id,
      baseUrl: stack.portalUrl,
      now: new Date(Date.now() - 40 * 86_400_000),
    });
    await page.goto(`${old.url}?lang=de`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Dieser Link ist abgelaufen',
    );
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Neuen Link senden' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Falls dieser Link');
    // The fresh link goes to the address on file, through the outbox.
    const deadline = Date.now() + 15_000;
    let sent: { recipient: string; body_text: string } | undefined;
    while (!sent && Date.now() < deadline) {
      sent = await db
        .selectFrom('communications')
        .select(['recipient', 'body_text'])
        .where('customer_id', '=', customer.id)
        .where('step_key', '=', 'portal-link')
        .executeTakeFirst();
      if (!sent) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(sent?.recipient).toBe(customer.email);
    expect(sent?.body_text).toMatch(/\/p\/[\w-]{43}/);
    await page.close();
  });
});

describe('dispute from the portal', () => {
  for (const [code, locale] of [
    ['DE-001', 'de'],
    ['FR-002', 'fr'],
  ] as const) {
    it(`disputes an invoice in ${locale} with an attachment; the workflow holds for the dispute`, async () => {
      const t = translator(locale);
      const { url, customerId } = await linkFromOutbox(code);
      const page = await browser.newPage();
      await page.goto(url);
      await page.getByRole('link', { name: t('navDispute') }).click();
      // Client-side navigation: wait for the new page's heading, not just the URL.
      await page.getByRole('heading', { level: 1, name: t('disputeTitle') }).waitFor();
      await page.getByRole('checkbox').first().check();
      await page.getByLabel(t('reason')).selectOption('wrong_amount');
      await page.getByLabel(t('message')).fill(`Amount does not match the order (${locale}).`);
      await page.getByLabel(t('attachments')).setInputFiles({
        name: 'delivery-note.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% test\n'),
      });
      await page.getByRole('button', { name: t('sendDispute') }).click();
      await expect(page.getByRole('status').textContent()).resolves.toBe(t('disputeSent'));
      await expectNoAxeViolations(page);

      const dispute = await db
        .selectFrom('disputes')
        .select(['id', 'invoice_id', 'status'])
        .where('customer_id', '=', customerId)
        .where('message', 'like', `%(${locale}).`)
        .executeTakeFirstOrThrow();
      expect(dispute.status).toBe('open');
      const attachments = await db
        .selectFrom('dispute_attachments')
        .select(['filename', 'content_type'])
        .where('dispute_id', '=', dispute.id)
        .execute();
      expect(attachments).toEqual([{ filename: 'delivery-note.pdf', content_type: 'application/pdf' }]);
      expect(await waitForHold(dispute.invoice_id, 'dispute')).toContain('dispute');

      // The statement lists the dispute as under review.
      await page.goto(`${stack.portalUrl}/p`);
      await expect(page.getByTestId('dispute').first().textContent()).resolves.toContain(t('dispute.open'));
      await page.close();
    });
  }
});

describe('promise to pay from the portal', () => {
  for (const [code, locale] of [
    ['PL-001', 'pl'],
    ['GB-001', 'en'],
  ] as const) {
    it(`promises a payment date in ${locale}; the workflow holds for the promise`, async () => {
      const t = translator(locale);
      const { url, customerId } = await linkFromOutbox(code);
      const page = await browser.newPage();
      await page.goto(url);
      await page.getByRole('link', { name: t('navPromise') }).click();
      await page.getByRole('heading', { level: 1, name: t('promiseTitle') }).waitFor();
      await page.getByRole('checkbox').first().check();
      const date = isoDate(5);
      await page.getByLabel(t('promiseDate')).fill(date);
      await page.getByRole('button', { name: t('sendPromise') }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        t('promiseSent', { date: '' }).slice(0, 12),
      );
      await expectNoAxeViolations(page);

      const promise = await db
        .selectFrom('promises_to_pay')
        .select(['invoice_id', 'promised_date'])
        .where('customer_id', '=', customerId)
        .where('status', '=', 'active')
        .where('promised_date', '=', date)
        .executeTakeFirstOrThrow();
      expect(await waitForHold(promise.invoice_id, 'promise')).toContain('promise');
      await page.close();
    });
  }

  it('refuses a date beyond the policy limit and names the field', async () => {
    const { url } = await linkFromOutbox('GB-001');
    const page = await browser.newPage();
    await page.goto(url);
    await page.goto(`${stack.portalUrl}/p/promise`);
    await page.getByRole('checkbox').first().check();
    const input = page.getByLabel('I will pay by');
    // Bypass the browser's own min/max check to reach the server's rule.
    await input.evaluate((el) => el.removeAttribute('max'));
    await input.fill(isoDate(400));
    await page.getByRole('button', { name: 'Send the promise' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('date');
    await page.close();
  });
});

describe('payment return page', () => {
  it('shows the receipt, is accessible, and updates itself when the payment lands', async () => {
    // A customer of its own, so marking its invoice paid cannot disturb other journeys on this stack.
    const { createPortalLink } = await import('@settle/core');
    const org = await db
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', 'demo')
      .executeTakeFirstOrThrow();
    const customer = await db
      .insertInto('customers')
      .values({
        organization_id: org.id,
        code: 'E2E-PAY',
        name: 'Rückkehr GmbH',
        email: 'ap@rueckkehr.example',
        country: 'DE',
        locale: 'de',
        time_zone: 'Europe/Berlin',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const invoice = await db
      .insertInto('invoices')
      .values({
        organization_id: org.id,
        customer_id: customer.id,
        number: 'E2E/PAY/1',
        currency: 'EUR',
        total_minor: 45_600,
        issue_date: isoDate(-40),
        due_date: isoDate(-10),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const attempt = await db
      .insertInto('payment_attempts')
      .values({
        organization_id: org.id,
        customer_id: customer.id,
        provider: 'local',
        kind: 'checkout_session',
        invoice_ids: [invoice.id],
        amount_minor: 45_600,
        currency: 'EUR',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const link = await createPortalLink(db, {
      organizationId: org.id,
      customerId: customer.id,
      baseUrl: stack.portalUrl,
      now: new Date(),
    });
    const t = translator('de');
    const page = await browser.newPage();
    await page.goto(link.url);
    await page.goto(`${stack.portalUrl}/p/payments/${attempt.id}`);
    await expect(page.getByTestId('payment-message').textContent()).resolves.toBe(t('paymentWaiting'));
    await expect(page.locator('dd').first().textContent()).resolves.toBe('456,00\u00a0€');
    await expectNoAxeViolations(page);

    await db
      .updateTable('payment_attempts')
      .set({ status: 'completed' })
      .where('id', '=', attempt.id)
      .execute();
    await db
      .updateTable('invoices')
      .set({ status: 'paid', paid_minor: 45_600, paid_at: new Date() })
      .where('id', '=', invoice.id)
      .execute();
    await page.getByText(t('paymentReceived')).waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('attempt-invoice').textContent()).resolves.toContain(
      t('attemptInvoice.paid'),
    );
    await page.close();
  });
});
