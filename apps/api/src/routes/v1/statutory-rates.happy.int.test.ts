import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

describe('statutory rates API', () => {
  it('lists the built-in rates of a kind from the one in force on a day', async () => {
    const list = await h.request(
      'GET',
      '/v1/statutory-rates?kind=de_base_rate&from=2025-03-01&to=2025-12-31',
    );
    expect(list.status).toBe(200);
    expect(
      list.body.data.map((r: { validFrom: string; basisPoints: number }) => [r.validFrom, r.basisPoints]),
    ).toEqual([
      ['2025-01-01', 227],
      ['2025-07-01', 127],
    ]);
    expect(list.body.data[0]).toMatchObject({ kind: 'de_base_rate', scope: 'built_in' });
  });

  it("records the organization's own rate, audited, which then replaces the built-in row of that day", async () => {
    const created = await h.request('POST', '/v1/statutory-rates', {
      body: { kind: 'ecb_main_refinancing', validFrom: '2025-06-11', basisPoints: 200, source: 'Correction' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'ecb_main_refinancing',
      validFrom: '2025-06-11',
      basisPoints: 200,
      source: 'Correction',
      scope: 'organization',
    });
    const list = await h.request('GET', '/v1/statutory-rates?kind=ecb_main_refinancing&from=2025-06-11');
    expect(list.body.data).toEqual([created.body]);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('subject_id', '=', created.body.id)
      .execute();
    expect(audit).toEqual([{ action: 'statutory_rate.created', actor_type: 'api_key' }]);
  });
});
