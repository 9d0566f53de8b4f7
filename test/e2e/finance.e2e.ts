import { createDb, insertDocumentOnce } from '@settle/db';
import { seedTenant } from '@settle/db/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectNoAxeViolations } from './axe';
import { launchBrowser } from './browser';

const stack = inject('stack');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('finance outbox', () => {
  it('refuses a wrong password without saying whether the account exists', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.portalUrl}/finance/login`);
    await page.getByLabel('E-mail').fill(stack.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('E-mail or password is not correct.');
    await page.close();
  });

  it('sends the signed-out visitor to sign-in, then shows the demo reminders in each customer language', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.portalUrl}/finance`);
    expect(new URL(page.url()).pathname).toBe('/finance/login');
    await signIn(page);
    await page.goto(`${stack.portalUrl}/finance/outbox`);

    // The demo's overdue invoices send their latest missed reminder as soon as their workflows start.
    const deadline = Date.now() + 30_000;
    let locales = new Set<string>();
    while (Date.now() < deadline) {
      await page.reload();
      const cells = await page.locator('tbody tr td:nth-child(5)').allTextContents();
      locales = new Set(cells);
      if (['pl', 'de', 'en', 'fr'].every((l) => locales.has(l))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect([...locales].sort()).toEqual(['de', 'en', 'fr', 'pl']);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Outbox');
    await page.close();
  });
});

describe('console pages', () => {
  it('renders every console page over the demo data for the admin', async () => {
    const page = await browser.newPage();
    await signIn(page);
    const db = createDb({ connectionString: stack.databaseUrl, maxConnections: 1 });
    try {
      const invoice = await db
        .selectFrom('invoices as i')
        .innerJoin('organizations as o', 'o.id', 'i.organization_id')
        .select(['i.id', 'i.customer_id', 'i.number'])
        .where('o.slug', '=', 'demo')
        .where('i.status', '=', 'open')
        .executeTakeFirstOrThrow();
      const policy = await db
        .selectFrom('reminder_policies as p')
        .innerJoin('organizations as o', 'o.id', 'p.organization_id')
        .select('p.id')
        .where('o.slug', '=', 'demo')
        .executeTakeFirstOrThrow();
      const pages: [string, string][] = [
        ['/finance', 'Dashboard'],
        ['/finance/disputes', 'Disputes'],
        ['/finance/tasks', 'Tasks'],
        ['/finance/aging', 'Aging'],
        ['/finance/customers', 'Customers'],
        [`/finance/customers/${invoice.customer_id}`, ''],
        [`/finance/invoices/${invoice.id}`, `Invoice ${invoice.number}`],
        ['/finance/outbox', 'Outbox'],
        ['/finance/policies', 'Reminder policies'],
        [`/finance/policies/${policy.id}`, 'Policy'],
        ['/finance/templates', 'Templates'],
      ];
      for (const [path, heading] of pages) {
        const response = await page.goto(`${stack.portalUrl}${path}`);
        expect(response?.status(), path).toBe(200);
        await expect(page.getByRole('heading', { level: 1 }).textContent(), path).resolves.toContain(heading);
        await expectNoAxeViolations(page);
      }
      // The dashboard's and the aging report's charts are inline SVG.
      await page.goto(`${stack.portalUrl}/finance/aging`);
      expect(await page.locator('svg.fin-chart').count()).toBeGreaterThan(0);
      const csv = await page.request.get(`${stack.portalUrl}/finance/aging.csv`);
      expect(csv.status()).toBe(200);
      expect((await csv.text()).split('\r\n')[0]).toMatch(/^as_of,currency,customer_code/);
    } finally {
      await db.destroy();
      await page.close();
    }
  });
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${stack.portalUrl}/finance/login`);
  await page.getByLabel('E-mail').fill(stack.admin.email);
  await page.getByLabel('Password').fill(stack.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${stack.portalUrl}/finance`);
}

/** A stored letter PDF for an organization (the first message of its first customer). */
async function storeLetter(db: ReturnType<typeof createDb>, organizationId: string, customerId: string) {
  const message = await db
    .insertInto('communications')
    .values({
      organization_id: organizationId,
      customer_id: customerId,
      idempotency_key: `e2e-letter-${Math.random()}`,
      step_key: 'final-notice-letter#0',
      channel: 'letter',
      locale: 'en',
      recipient: 'Somewhere',
      body_text: 'Final notice',
      provider: 'letter',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return insertDocumentOnce(db, {
    organizationId,
    communicationId: message.id,
    kind: 'letter',
    filename: 'letter.pdf',
    contentType: 'application/pdf',
    content: Buffer.from('%PDF-1.7 test'),
  });
}

describe('letters', () => {
  it("serves an organization's letter PDF to its staff and hides another organization's", async () => {
    const db = createDb({ connectionString: stack.databaseUrl, maxConnections: 1 });
    try {
      const demo = await db
        .selectFrom('customers as c')
        .innerJoin('organizations as o', 'o.id', 'c.organization_id')
        .select(['o.id as organizationId', 'c.id as customerId'])
        .where('o.slug', '=', 'demo')
        .executeTakeFirstOrThrow();
      const own = await storeLetter(db, demo.organizationId, demo.customerId);
      const stranger = await seedTenant(db);
      const foreign = await storeLetter(db, stranger.organization.id, stranger.customer.id);

      const page = await browser.newPage();
      await signIn(page);
      const ownResponse = await page.request.get(`${stack.portalUrl}/finance/documents/${own.id}`);
      expect(ownResponse.status()).toBe(200);
      expect(ownResponse.headers()['content-type']).toBe('application/pdf');
      expect((await ownResponse.body()).toString()).toBe('%PDF-1.7 test');
      const foreignResponse = await page.request.get(`${stack.portalUrl}/finance/documents/${foreign.id}`);
      expect(foreignResponse.status()).toBe(404);
      await page.close();
    } finally {
      await db.destroy();
    }
  });
});
