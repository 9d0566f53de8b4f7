import { createPortalLink } from '@settle/core';
import { createDb, insertCustomer, insertInvoice } from '@settle/db';
import { addDays, localDateOf } from '@settle/domain';
import { invoiceWorkflowId, startInvoiceReminders, stateQuery } from '@settle/workflows';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';

// A dispute from the debtor's portal to finance's answer and back, with the invoice's workflow
// checked through Temporal itself; and the template editor's live preview.
const stack = inject('stack');
let browser: Browser;
let db: ReturnType<typeof createDb>;
let connection: Connection;
let temporal: Client;
let organizationId: string;
let customerId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb({ connectionString: stack.databaseUrl, maxConnections: 2 });
  connection = await Connection.connect({ address: stack.temporalAddress });
  temporal = new Client({ connection });
  const demo = await db
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', 'demo')
    .executeTakeFirstOrThrow();
  organizationId = demo.id;
  // A customer of its own, so other suites' demo data and this one do not meet.
  const customer = await insertCustomer(db, {
    organization_id: organizationId,
    code: `E2E-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Disputing Customer Ltd',
    email: 'ap@disputing.example',
    country: 'GB',
    locale: 'en',
    time_zone: 'Europe/London',
  });
  customerId = customer.id;
});
afterAll(async () => {
  await browser?.close();
  await connection?.close();
  await db?.destroy();
});

async function overdueInvoice(number: string): Promise<string> {
  const today = localDateOf(Date.now(), 'Europe/London');
  const invoice = await insertInvoice(db, {
    organization_id: organizationId,
    customer_id: customerId,
    number,
    currency: 'GBP',
    total_minor: 48_000,
    issue_date: addDays(today, -40),
    due_date: addDays(today, -10),
    lines: [],
  });
  await startInvoiceReminders(temporal, invoice.id);
  return invoice.id;
}

/** Polls the workflow's state until `accept` holds (signals and queries are asynchronous). */
async function waitForState(
  invoiceId: string,
  accept: (state: { status: string; holds: string[] }) => boolean,
) {
  const handle = temporal.workflow.getHandle(invoiceWorkflowId(invoiceId));
  const deadline = Date.now() + 20_000;
  let last: { status: string; holds: string[] } | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(stateQuery);
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`workflow state never matched; last ${JSON.stringify(last)}`);
}

async function debtorPage(): Promise<Page> {
  const link = await createPortalLink(db, {
    organizationId,
    customerId,
    baseUrl: stack.portalUrl,
    now: new Date(),
  });
  const page = await browser.newPage();
  await page.goto(link.url);
  await page.waitForURL(`${stack.portalUrl}/p`);
  return page;
}

async function debtorDisputes(page: Page, invoiceId: string, message: string): Promise<void> {
  await page.goto(`${stack.portalUrl}/p/dispute?invoice=${invoiceId}`);
  await page.selectOption('select[name=reason]', 'wrong_amount');
  await page.fill('textarea[name=message]', message);
  await page.click('form[enctype="multipart/form-data"] button[type=submit]');
  await page.waitForURL(`${stack.portalUrl}/p/dispute?sent=1`);
}

async function financePage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${stack.portalUrl}/finance/login`);
  await page.getByLabel('E-mail').fill(stack.admin.email);
  await page.getByLabel('Password').fill(stack.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${stack.portalUrl}/finance`);
  return page;
}

async function answer(page: Page, invoiceNumber: string, note: string, button: string): Promise<void> {
  await page.goto(`${stack.portalUrl}/finance/disputes`);
  const card = page.locator('section.fin-card', {
    has: page.getByRole('heading', { name: new RegExp(invoiceNumber) }),
  });
  await expect(card.locator('blockquote').textContent()).resolves.toContain(
    'The amount is not what we agreed',
  );
  await card.locator('textarea[name=note]').fill(note);
  await card.getByRole('button', { name: button }).click();
  await page.getByRole('status').waitFor();
}

describe('dispute resolution', () => {
  it('rejected: the debtor disputes in the portal, finance replies, the debtor reads it, reminders resume', async () => {
    const number = `E2E-R-${Date.now()}`;
    const invoiceId = await overdueInvoice(number);
    const debtor = await debtorPage();
    await debtorDisputes(debtor, invoiceId, 'The amount is not what we agreed');
    await waitForState(invoiceId, (s) => s.holds.includes('dispute'));

    const finance = await financePage();
    const reply = 'We checked the order: the amount matches the signed quote of 3 March.';
    await answer(finance, number, reply, 'Reject and resume reminders');
    await expect(finance.getByRole('status').textContent()).resolves.toContain('Dispute rejected');

    await debtor.goto(`${stack.portalUrl}/p`);
    await expect(debtor.getByTestId('dispute').first().textContent()).resolves.toContain(reply);

    const state = await waitForState(invoiceId, (s) => !s.holds.includes('dispute'));
    expect(state.status).toBe('active');
    const description = await temporal.workflow.getHandle(invoiceWorkflowId(invoiceId)).describe();
    expect(description.status.name).toBe('RUNNING');
    const row = await db
      .selectFrom('disputes')
      .selectAll()
      .where('invoice_id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'rejected', resolution_note: reply });
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', invoiceId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['dispute.opened', 'dispute.rejected']),
    );
    await debtor.close();
    await finance.close();
  });

  it('upheld: finance upholds the dispute, the invoice is void and its workflow ends', async () => {
    const number = `E2E-U-${Date.now()}`;
    const invoiceId = await overdueInvoice(number);
    const debtor = await debtorPage();
    await debtorDisputes(debtor, invoiceId, 'The amount is not what we agreed');
    await waitForState(invoiceId, (s) => s.holds.includes('dispute'));

    const finance = await financePage();
    await answer(finance, number, 'You are right: we cancel this invoice.', 'Uphold and void the invoice');
    await expect(finance.getByRole('status').textContent()).resolves.toContain('Dispute upheld');

    const result = await temporal.workflow.getHandle(invoiceWorkflowId(invoiceId)).result();
    expect(result.outcome).toBe('dispute_upheld');
    const invoice = await db
      .selectFrom('invoices')
      .select('status')
      .where('id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    expect(invoice.status).toBe('void');

    await finance.goto(`${stack.portalUrl}/finance/invoices/${invoiceId}`);
    await expect(finance.getByTestId('workflow-plan').textContent()).resolves.toContain(
      'Workflow not running',
    );
    await debtor.goto(`${stack.portalUrl}/p`);
    await expect(debtor.getByTestId('dispute').first().textContent()).resolves.toContain('You are right');
    await debtor.close();
    await finance.close();
  });
});

describe('template editor', () => {
  it('renders a live preview of the edited text against a real invoice, and names an unknown variable', async () => {
    const page = await financePage();
    await page.goto(`${stack.portalUrl}/finance/templates`);
    await page.locator('nav[aria-label=Templates] a').first().click();
    await page.getByLabel('Body').waitFor();
    await page
      .getByLabel('Body')
      .fill('Preview marker for {{customer.name}}: {{invoice.balance}} due {{invoice.dueDate}}.');
    const preview = page.getByTestId('template-preview');
    await expect
      .poll(async () => ((await preview.count()) > 0 ? preview.textContent() : ''), { timeout: 10_000 })
      .toMatch(/Preview marker for .+: .+ due .+\./);
    await expect(preview.textContent()).resolves.toMatch(/For invoice \S+/);

    await page.getByLabel('Body').fill('Hello {{nope}}');
    await expect
      .poll(async () => page.getByRole('alert').allTextContents(), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining('unknown variable {{nope}}'));
    await page.close();
  });
});
