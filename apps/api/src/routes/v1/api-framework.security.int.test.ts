import { revokeApiKey } from '@settle/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

describe('API-key authentication on /v1', () => {
  it('answers 401 in the error envelope when the key is missing', async () => {
    const response = await h.request('GET', '/v1/customers', { apiKey: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.body).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.any(String), requestId: expect.any(String) },
    });
  });

  it('answers 401 for a malformed Authorization header and for an unknown key', async () => {
    const basic = await h.request('GET', '/v1/customers', {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(basic.status).toBe(401);
    const unknown = await h.request('GET', '/v1/customers', { apiKey: 'sk_live_not-a-real-key' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('UNAUTHORIZED');
  });

  it('records when a key was last used', async () => {
    const tenant = await h.seedTenant();
    const before = new Date();
    await h.request('GET', '/v1/customers', { apiKey: tenant.apiKey });
    const row = await h.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', tenant.apiKeyId)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at?.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  });

  it('answers 401 once a key is revoked, and writes nothing for it', async () => {
    const tenant = await h.seedTenant();
    expect((await h.request('GET', '/v1/customers', { apiKey: tenant.apiKey })).status).toBe(200);
    await revokeApiKey(h.db, tenant.organization.id, tenant.apiKeyId, new Date());
    const refused = await h.request('POST', '/v1/customers', {
      apiKey: tenant.apiKey,
      body: { code: 'REVOKED-1', name: 'x', country: 'DE', locale: 'de', timeZone: 'Europe/Berlin' },
    });
    expect(refused.status).toBe(401);
    const rows = await h.db.selectFrom('customers').select('id').where('code', '=', 'REVOKED-1').execute();
    expect(rows).toHaveLength(0);
  });

  it('needs no key for the health check, the OpenAPI document and the reference page', async () => {
    expect((await h.request('GET', '/openapi.json', { apiKey: null })).status).toBe(200);
    const docs = await h.request('GET', '/docs', { apiKey: null });
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('/openapi.json');
    expect((await h.request('GET', '/healthz', { apiKey: null })).status).not.toBe(401);
  });

  it("keeps Idempotency-Keys per organization: another tenant's identical key runs its own request", async () => {
    const other = await h.seedTenant();
    const headers = { 'Idempotency-Key': 'shared-key-1' };
    const body = { code: 'IDEM-SHARED', name: 'x', country: 'DE', locale: 'de', timeZone: 'Europe/Berlin' };
    const mine = await h.request('POST', '/v1/customers', { body, headers });
    const theirs = await h.request('POST', '/v1/customers', { body, headers, apiKey: other.apiKey });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });
});
