import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const newCustomer = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Customer ${code}`,
  email: `${code.toLowerCase()}@example.com`,
  country: 'DE',
  locale: 'de',
  timeZone: 'Europe/Berlin',
  ...extra,
});

describe('customers API', () => {
  it('creates a customer and reads it back by id', async () => {
    const created = await h.request('POST', '/v1/customers', {
      body: newCustomer('HAPPY-1', { creditLimit: { amountMinor: 500_000, currency: 'EUR' } }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'HAPPY-1',
      creditLimit: { amountMinor: 500_000, currency: 'EUR' },
      timeZone: 'Europe/Berlin',
    });
    const read = await h.request('GET', `/v1/customers/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('updates only the fields sent', async () => {
    const created = await h.request('POST', '/v1/customers', { body: newCustomer('HAPPY-2') });
    const updated = await h.request('PATCH', `/v1/customers/${created.body.id}`, {
      body: { name: 'Renamed GmbH', smsOptOut: true },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Renamed GmbH',
      smsOptOut: true,
      code: 'HAPPY-2',
      email: 'happy-2@example.com',
    });
  });

  it('searches by part of the code, the name or the e-mail', async () => {
    await h.request('POST', '/v1/customers', { body: newCustomer('SRCH-1', { name: 'Initech Ltd' }) });
    await h.request('POST', '/v1/customers', {
      body: newCustomer('SRCH-2', { email: 'billing@umbrella.example' }),
    });
    const byName = await h.request('GET', '/v1/customers?q=initech');
    expect(byName.body.data.map((c: { code: string }) => c.code)).toEqual(['SRCH-1']);
    const byEmail = await h.request('GET', '/v1/customers?q=UMBRELLA');
    expect(byEmail.body.data.map((c: { code: string }) => c.code)).toEqual(['SRCH-2']);
    const byCode = await h.request('GET', '/v1/customers?q=srch-');
    expect(byCode.body.data).toHaveLength(2);
  });

  it('walks every page with the opaque cursor, each customer exactly once', async () => {
    for (let i = 0; i < 7; i++) await h.request('POST', '/v1/customers', { body: newCustomer(`PAGE-${i}`) });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await h.request('GET', `/v1/customers?q=PAGE-&limit=3${query}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((c: { code: string }) => c.code));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['PAGE-0', 'PAGE-1', 'PAGE-2', 'PAGE-3', 'PAGE-4', 'PAGE-5', 'PAGE-6']);
  });

  it('replays the first response to a retry with the same Idempotency-Key and creates nothing more', async () => {
    const headers = { 'Idempotency-Key': 'create-idem-1' };
    const first = await h.request('POST', '/v1/customers', { body: newCustomer('IDEM-1'), headers });
    const retry = await h.request('POST', '/v1/customers', { body: newCustomer('IDEM-1'), headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const rows = await h.db.selectFrom('customers').select('id').where('code', '=', 'IDEM-1').execute();
    expect(rows).toHaveLength(1);
  });
});
