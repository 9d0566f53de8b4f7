import { databaseEnv, loadConfig } from '@settle/config';
import { createTestDatabase, type TestDatabase } from '@settle/db/testing';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileProviderEvents } from './reconcile';
import { createStripeClient } from './stripe';
import { startStripeMock } from './testing/stripe-mock';

// Feeding events through the workflow is covered in apps/worker/src/payments.workflow.test.ts; this
// pins down the Stripe listing call against stripe-mock (the API's shape and pagination).
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

describe('reconcileProviderEvents', () => {
  it('lists recent Stripe events through the SDK and skips types Settle does not handle', async () => {
    const unusedTemporal = {} as Client; // nothing handled is listed, so nothing is started
    const report = await reconcileProviderEvents(
      {
        db: testDb.db,
        temporal: unusedTemporal,
        stripe: createStripeClient({ apiBaseUrl: stripeMock.url }),
        gocardless: null,
      },
      { since: new Date(Date.now() - 3_600_000) },
    );
    expect(report.gocardless).toBeNull();
    expect(report.stripe?.listed).toBeGreaterThanOrEqual(1);
    expect(report.stripe?.fed).toBe(0);
    const stored = await testDb.db.selectFrom('webhook_events').select('id').execute();
    expect(stored).toHaveLength(0);
  });
});
