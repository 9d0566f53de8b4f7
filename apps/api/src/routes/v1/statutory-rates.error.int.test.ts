import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const ownRates = async () =>
  (
    await h.db
      .selectFrom('statutory_rates')
      .select('id')
      .where('organization_id', '=', h.tenant.organization.id)
      .execute()
  ).length;

const fieldsOf = (body: { error: { details: { field: string }[] } }) =>
  body.error.details.map((d) => d.field).sort();

describe('statutory rates API errors', () => {
  it('answers 400 naming an unknown kind and a malformed day, and writes nothing', async () => {
    const response = await h.request('POST', '/v1/statutory-rates', {
      body: { kind: 'libor', validFrom: '1 July 2025', basisPoints: 100, source: 'x' },
    });
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toEqual(['kind', 'validFrom']);
    expect(await ownRates()).toBe(0);
  });

  it('answers 400 to a Basiszinssatz off 1 January / 1 July, an implausible rate and an empty source', async () => {
    const response = await h.request('POST', '/v1/statutory-rates', {
      body: { kind: 'de_base_rate', validFrom: '2025-03-01', basisPoints: 12_700, source: ' ' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION');
    expect(fieldsOf(response.body)).toEqual(['basisPoints', 'source', 'validFrom']);
    expect(await ownRates()).toBe(0);
  });

  it('answers 409 to a second rate of the same kind and day', async () => {
    const body = { kind: 'boe_base', validFrom: '2026-02-05', basisPoints: 350, source: 'BoE' };
    expect((await h.request('POST', '/v1/statutory-rates', { body })).status).toBe(201);
    const again = await h.request('POST', '/v1/statutory-rates', { body: { ...body, basisPoints: 375 } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('answers 400 to a malformed query', async () => {
    const response = await h.request('GET', '/v1/statutory-rates?kind=prime&from=yesterday');
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toEqual(['from', 'kind']);
  });
});
