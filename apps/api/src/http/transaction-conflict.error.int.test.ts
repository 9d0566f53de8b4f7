import type { Db } from '@settle/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia } from '../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../testing/api-harness';

/**
 * A deadlock that survives the transaction's retries is answered 503 with Retry-After, never 500. The
 * app runs on a database handle whose insert into promises_to_pay fails as PostgreSQL's deadlock
 * victim does (SQLSTATE 40P01) while the fault is on: the real route, core function and retrying
 * transaction run, only the database's answer is forced.
 */

const fault = { on: false, hits: 0 };
// Kysely's plugin interface, named through the handle so this app needs no kysely dependency.
type QueryPlugin = Parameters<Db['withPlugin']>[0];
const deadlockOnPromiseInsert: QueryPlugin = {
  transformQuery({ node }) {
    if (
      fault.on &&
      node.kind === 'InsertQueryNode' &&
      node.into?.table.identifier.name === 'promises_to_pay'
    ) {
      fault.hits += 1;
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    }
    return node;
  },
  async transformResult({ result }) {
    return result;
  },
};

let h: ApiHarness;
// The app is built before the harness's database exists, so it gets a handle that forwards to the
// faulty one made from it afterwards.
let faulty: Db | undefined;
const forwarding = new Proxy({} as Db, {
  get(_target, property) {
    if (!faulty) throw new Error('the faulty database handle is not ready');
    const value = Reflect.get(faulty, property);
    return typeof value === 'function' ? value.bind(faulty) : value;
  },
});
beforeAll(async () => {
  h = await createApiHarness({ deps: { db: forwarding } });
  faulty = h.db.withPlugin(deadlockOnPromiseInsert);
});
afterAll(() => h?.close());

describe('a deadlock that outlasts the retries', () => {
  it('answers 503 with Retry-After and the error envelope, and a retry with the same Idempotency-Key runs again', async () => {
    const invoice = await createInvoiceVia(h);
    const date = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const request = () =>
      h.request('POST', `/v1/invoices/${invoice.id}/promises`, {
        body: { date },
        headers: { 'idempotency-key': `promise-${invoice.id}` },
      });

    fault.on = true;
    const refused = await request();
    fault.on = false;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toEqual({
      error: {
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/retry/),
        requestId: expect.any(String),
      },
    });
    // Every attempt of the transaction met the deadlock (5 by default) before the 503.
    expect(fault.hits).toBe(5);

    const retried = await request();
    expect(retried.status).toBe(201);
    const promises = await h.db
      .selectFrom('promises_to_pay')
      .select('promised_date')
      .where('invoice_id', '=', invoice.id)
      .execute();
    expect(promises).toEqual([{ promised_date: date }]);
  });
});
