import { databaseEnv, loadConfig } from '@settle/config';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedTenant, type TestDatabase } from './testing';
import {
  inTransaction,
  isTransactionConflict,
  logTransactionRetries,
  onTransactionRetry,
  TransactionConflictError,
  type TransactionRetry,
} from './transaction';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

/** A PostgreSQL error as node-postgres raises it. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('inTransaction', () => {
  it('runs a transaction that PostgreSQL aborted in a real deadlock again, and both commit', async () => {
    const { organization } = await seedTenant(testDb.db);
    const [one, two] = await Promise.all(
      ['one', 'two'].map((code) =>
        testDb.db
          .insertInto('customers')
          .values({
            organization_id: organization.id,
            code: `DL-${code}`,
            name: code,
            country: 'DE',
            locale: 'de',
            time_zone: 'Europe/Berlin',
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      ),
    );
    if (!one || !two) throw new Error('customers not created');
    const retries: TransactionRetry[] = [];
    const stop = onTransactionRetry((retry) => retries.push(retry));
    const logged: string[] = [];
    const stopLog = logTransactionRetries({ warn: (_details, message) => logged.push(message) });
    // Both hold their first row before either asks for the other's: one of them must be the victim.
    let bothHoldOne: () => void = () => {};
    let held = 0;
    const barrier = new Promise<void>((resolve) => {
      bothHoldOne = resolve;
    });
    const runs = { a: 0, b: 0 };
    const crossing = (first: string, second: string, run: 'a' | 'b') =>
      inTransaction(testDb.db, async (tx) => {
        runs[run] += 1;
        await tx.updateTable('customers').set({ segment: run }).where('id', '=', first).execute();
        if (runs[run] === 1) {
          held += 1;
          if (held === 2) bothHoldOne();
          await barrier;
        }
        await tx.updateTable('customers').set({ segment: run }).where('id', '=', second).execute();
        return run;
      });
    try {
      expect(await Promise.all([crossing(one.id, two.id, 'a'), crossing(two.id, one.id, 'b')])).toEqual([
        'a',
        'b',
      ]);
    } finally {
      stop();
      stopLog();
    }
    expect(retries.map((retry) => retry.sqlState)).toEqual(['40P01']);
    // The processes log each retry.
    expect(logged).toEqual(['transaction retried after a deadlock or serialization failure']);
    expect(runs.a + runs.b).toBe(3);
  });

  it('gives up after the last attempt with a TransactionConflictError the edges recognise', async () => {
    let runs = 0;
    const failing = inTransaction(
      testDb.db,
      async () => {
        runs += 1;
        throw pgError('40001', 'could not serialize access due to concurrent update');
      },
      { maxAttempts: 3, baseDelayMs: 1 },
    );
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionConflictError);
    expect(error).toMatchObject({ sqlState: '40001', attempts: 3 });
    expect(isTransactionConflict(error)).toBe(true);
    expect(runs).toBe(3);
  });

  it('throws any other error at once, after rolling back what the attempt wrote', async () => {
    const { customer } = await seedTenant(testDb.db);
    let runs = 0;
    const error = await inTransaction(testDb.db, async (tx) => {
      runs += 1;
      await tx.updateTable('customers').set({ segment: 'written' }).where('id', '=', customer.id).execute();
      await sql`SELECT 1 / 0`.execute(tx);
    }).catch((e: unknown) => e);
    expect(isTransactionConflict(error)).toBe(false);
    expect(runs).toBe(1);
    const row = await testDb.db
      .selectFrom('customers')
      .select('segment')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.segment).toBe(customer.segment);
  });

  it('recognises a deadlock through a cause chain', () => {
    const wrapped = new Error('could not record', { cause: pgError('40P01', 'deadlock detected') });
    expect(isTransactionConflict(wrapped)).toBe(true);
    expect(isTransactionConflict(pgError('23505', 'duplicate key'))).toBe(false);
  });
});
