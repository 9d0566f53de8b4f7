import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
    await page.getByLabel('E-mail').fill(stack.admin.email);
    await page.getByLabel('Password').fill(stack.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.portalUrl}/finance`);

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
