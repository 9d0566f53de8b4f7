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

describe('portal in a browser', () => {
  it('serves the landing page with its heading and an accessible title', async () => {
    const page = await browser.newPage();
    const response = await page.goto(stack.portalUrl);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Settle — invoice portal');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Settle invoice portal',
    );
    await page.close();
  });
});

describe('running stack', () => {
  it('reports PostgreSQL, Temporal and a polling worker up on the API health endpoint', async () => {
    const response = await fetch(`${stack.apiUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      checks: {
        postgres: { status: 'up' },
        temporal: { status: 'up' },
        worker: { status: 'up', taskQueue: 'reminders' },
      },
    });
  });

  it('reports PostgreSQL up on the portal health endpoint', async () => {
    const response = await fetch(`${stack.portalUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checks: { postgres: { status: 'up' } } });
  });
});
