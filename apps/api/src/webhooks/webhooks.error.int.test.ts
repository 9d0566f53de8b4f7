import { databaseEnv, loadConfig } from '@settle/config';
import { createTestDatabase, type TestDatabase } from '@settle/db/testing';
import { createLogger } from '@settle/logging';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { goCardlessBody, goCardlessHeaders, stripeEventBody, stripeHeaders } from './webhook-fixtures';

// Temporal unreachable: the event cannot be durably handed on, so the provider must deliver it again.
let testDb: TestDatabase;
let connection: Connection;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  testDb = await createTestDatabase(loadConfig(databaseEnv).DATABASE_URL);
  connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '500ms' });
  app = createApp({
    db: testDb.db,
    temporal: new Client({ connection }),
    logger: createLogger('api-test', 'silent'),
    namespace: 'default',
    taskQueue: 'reminders',
  });
});
afterAll(async () => {
  await connection?.close().catch(() => {});
  await testDb?.drop();
});

describe('webhooks while Temporal is unreachable', () => {
  it('Stripe gets a 503 within seconds so it retries, and the event is kept for that retry', async () => {
    const { id, body } = stripeEventBody('charge.refunded', {
      id: 'ch_1',
      payment_intent: 'pi_1',
      amount: 10,
      amount_refunded: 10,
    });
    const response = await app.request('/webhooks/stripe', {
      method: 'POST',
      body,
      headers: stripeHeaders(body),
    });
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatchObject({ code: 'UNAVAILABLE' });
    const stored = await testDb.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('event_id', '=', id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.processed_at).toBeNull();
  });

  it('GoCardless gets a 503 too', async () => {
    const { body } = goCardlessBody([
      { resource_type: 'payments', action: 'failed', links: { payment: 'PM1' } },
    ]);
    const response = await app.request('/webhooks/gocardless', {
      method: 'POST',
      body,
      headers: goCardlessHeaders(body),
    });
    expect(response.status).toBe(503);
  });
});
