import { claimIdempotencyKey, createDb } from '@settle/db';
import { createLogger } from '@settle/logging';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../app';
import { customerBody } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

const LIMIT = 5;
let h: ApiHarness;
// Test-only routes behind the real /v1 middleware: one waits until released, one always fails.
let slowRuns = 0;
let releaseSlow: () => void = () => {};
const slowGate = new Promise<void>((resolve) => {
  releaseSlow = resolve;
});
let boomRuns = 0;
beforeAll(async () => {
  h = await createApiHarness({
    deps: { rateLimit: { requests: LIMIT, windowMs: 60_000 } },
    configureApp(app) {
      app.post('/v1/test-slow', async (c) => {
        slowRuns++;
        await slowGate;
        return c.json({ run: slowRuns }, 201);
      });
      app.post('/v1/test-boom', () => {
        boomRuns++;
        throw new Error('connect ECONNREFUSED postgres://settle:secret-pw@10.0.0.5/settle');
      });
    },
  });
});
afterAll(() => h?.close());

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key exceeds its limit, while other keys go on', async () => {
    const tenant = await h.seedTenant();
    for (let i = 0; i < LIMIT; i++) {
      expect((await h.request('GET', '/v1/customers', { apiKey: tenant.apiKey })).status).toBe(200);
    }
    const limited = await h.request('GET', '/v1/customers', { apiKey: tenant.apiKey });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const other = await h.seedTenant();
    expect((await h.request('GET', '/v1/customers', { apiKey: other.apiKey })).status).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  it('answers 409 to the same key with a different body, and creates nothing for it', async () => {
    const tenant = await h.seedTenant();
    const headers = { 'Idempotency-Key': 'idem-conflict-1' };
    const first = await h.request('POST', '/v1/customers', {
      apiKey: tenant.apiKey,
      headers,
      body: customerBody(),
    });
    expect(first.status).toBe(201);
    const other = customerBody();
    const second = await h.request('POST', '/v1/customers', { apiKey: tenant.apiKey, headers, body: other });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'CONFLICT', details: [{ field: 'Idempotency-Key' }] });
    const rows = await h.db.selectFrom('customers').select('id').where('code', '=', other.code).execute();
    expect(rows).toHaveLength(0);
  });

  it('treats another query string as another request: 409, not a replay', async () => {
    const tenant = await h.seedTenant();
    const headers = { 'Idempotency-Key': 'idem-query-1' };
    const body = customerBody();
    expect((await h.request('POST', '/v1/customers', { apiKey: tenant.apiKey, headers, body })).status).toBe(
      201,
    );
    const other = await h.request('POST', '/v1/customers?x=1', { apiKey: tenant.apiKey, headers, body });
    expect(other.status).toBe(409);
  });

  it('answers 409 to a duplicate while the first request is still in flight', async () => {
    const tenant = await h.seedTenant();
    const body = customerBody();
    const headers = { 'Idempotency-Key': 'idem-in-flight-1' };
    // The same request, claimed by another API process that has not answered yet.
    const { createHash } = await import('node:crypto');
    await claimIdempotencyKey(h.db, {
      organizationId: tenant.organization.id,
      key: headers['Idempotency-Key'],
      requestHash: createHash('sha256')
        .update('POST /v1/customers\n')
        .update(JSON.stringify(body))
        .digest('hex'),
      now: new Date(),
      ttlMs: 60_000,
      staleAfterMs: 60_000,
    });
    const duplicate = await h.request('POST', '/v1/customers', { apiKey: tenant.apiKey, headers, body });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toMatch(/still being processed/);
    const rows = await h.db.selectFrom('customers').select('id').where('code', '=', body.code).execute();
    expect(rows).toHaveLength(0);
  });

  it('replays an error answer too: a retried invalid request gets the same 400', async () => {
    const tenant = await h.seedTenant();
    const headers = { 'Idempotency-Key': 'idem-invalid-1' };
    const body = { name: 'no code' };
    const first = await h.request('POST', '/v1/customers', { apiKey: tenant.apiKey, headers, body });
    const retry = await h.request('POST', '/v1/customers', { apiKey: tenant.apiKey, headers, body });
    expect(first.status).toBe(400);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual(first.body);
  });
});

describe('Idempotency-Key expiry', () => {
  it('forgets a key after 24 hours: the same key then runs a new request', async () => {
    const tenant = await h.seedTenant();
    const headers = { 'Idempotency-Key': 'idem-expired-1' };
    const first = await h.request('POST', '/v1/customers', {
      apiKey: tenant.apiKey,
      headers,
      body: customerBody(),
    });
    expect(first.status).toBe(201);
    await h.db
      .updateTable('idempotency_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('organization_id', '=', tenant.organization.id)
      .execute();
    const later = await h.request('POST', '/v1/customers', {
      apiKey: tenant.apiKey,
      headers,
      body: customerBody(),
    });
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
  });
});

describe('Idempotency-Key around slow and failing requests', () => {
  it('answers 409 to a duplicate that arrives while the first is running, then replays the first', async () => {
    const tenant = await h.seedTenant();
    const headers = { 'Idempotency-Key': 'idem-slow-1' };
    const first = h.request('POST', '/v1/test-slow', { apiKey: tenant.apiKey, headers, body: { a: 1 } });
    await vi.waitFor(() => expect(slowRuns).toBe(1));
    const duplicate = await h.request('POST', '/v1/test-slow', {
      apiKey: tenant.apiKey,
      headers,
      body: { a: 1 },
    });
    expect(duplicate.status).toBe(409);
    releaseSlow();
    expect((await first).status).toBe(201);
    const replay = await h.request('POST', '/v1/test-slow', {
      apiKey: tenant.apiKey,
      headers,
      body: { a: 1 },
    });
    expect(replay).toMatchObject({ status: 201, body: { run: 1 } });
    expect(slowRuns).toBe(1);
  });

  it('does not keep a 500: a retry with the same key runs again, and the answer names no internals', async () => {
    const tenant = await h.seedTenant();
    const headers = { 'Idempotency-Key': 'idem-boom-1' };
    const first = await h.request('POST', '/v1/test-boom', { apiKey: tenant.apiKey, headers, body: {} });
    const retry = await h.request('POST', '/v1/test-boom', { apiKey: tenant.apiKey, headers, body: {} });
    expect([first.status, retry.status]).toEqual([500, 500]);
    expect(boomRuns).toBe(2);
    expect(first.body).toEqual({
      error: { code: 'INTERNAL', message: 'internal error', requestId: expect.any(String) },
    });
    expect(JSON.stringify(first.body)).not.toMatch(/secret-pw|ECONNREFUSED|10\.0\.0\.5/);
  });
});

describe('request errors', () => {
  it('answers 400 VALIDATION to a malformed JSON body', async () => {
    const tenant = await h.seedTenant();
    const response = await h.request('POST', '/v1/customers', { apiKey: tenant.apiKey, body: '{"code": ' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION');
  });

  it('answers 400 naming the cursor when it is not one the API gave out', async () => {
    const tenant = await h.seedTenant();
    const response = await h.request('GET', '/v1/customers?cursor=bm9wZQ', { apiKey: tenant.apiKey });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('answers 400 naming limit when it is out of range', async () => {
    const tenant = await h.seedTenant();
    const response = await h.request('GET', '/v1/customers?limit=1000', { apiKey: tenant.apiKey });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'limit', message: expect.any(String) }]);
  });

  it('names an unknown field rather than the object that holds it', async () => {
    const tenant = await h.seedTenant();
    const response = await h.request('PATCH', `/v1/invoices/00000000-0000-4000-8000-000000000000`, {
      apiKey: tenant.apiKey,
      body: { dueDate: '2026-12-31', currency: 'USD' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'currency', message: 'unknown field' }]);
  });

  it('answers a JSON 404 for an unknown /v1 route', async () => {
    const tenant = await h.seedTenant();
    const response = await h.request('GET', '/v1/nothing-here', { apiKey: tenant.apiKey });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});

describe('internal errors', () => {
  it('answers 500 with a request id and no internals (no connection string, driver error or stack)', async () => {
    const db = createDb({
      connectionString: 'postgres://settle:secret-pw@127.0.0.1:9/settle',
      maxConnections: 1,
    });
    const app = createApp({
      db,
      temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) }),
      logger: createLogger('api-test', 'silent'),
      namespace: 'default',
      taskQueue: 'reminders',
    });
    try {
      const response = await app.request('/v1/customers', { headers: { authorization: 'Bearer sk_live_x' } });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        error: { code: 'INTERNAL', message: 'internal error', requestId: expect.any(String) },
      });
      expect(text).not.toMatch(/secret-pw|ECONNREFUSED|127\.0\.0\.1|at .*\.ts/);
    } finally {
      await db.destroy();
    }
  });
});

describe('request size', () => {
  it('refuses a /v1 body over 1 MB with 413 in the error envelope, before anything is read or written', async () => {
    const tenant = await h.seedTenant();
    const before = await h.db
      .selectFrom('customers')
      .select('id')
      .where('organization_id', '=', tenant.organization.id)
      .execute();
    const response = await h.request('POST', '/v1/customers', {
      apiKey: tenant.apiKey,
      body: { ...customerBody(), name: 'x'.repeat(1_100_000) },
      headers: { 'idempotency-key': 'too-big' },
    });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/exceeds 1 MB/),
    });
    const after = await h.db
      .selectFrom('customers')
      .select('id')
      .where('organization_id', '=', tenant.organization.id)
      .execute();
    expect(after).toHaveLength(before.length);
  });
});
