import { databaseEnv, loadConfig } from '@settle/config';
import { type Customer, type Invoice, insertInvoice, openDispute } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { openDebtorDispute } from './open-debtor-dispute';
import { promiseDebtorPayment } from './promise-debtor-payment';
import { type StartPaymentFn, startDebtorPayment } from './start-debtor-payment';

/**
 * The debtor actions' refusals, which all happen before anything is written or signalled (so no
 * Temporal server is needed: a client that fails loudly stands in), and the payment start's request.
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
const now = new Date('2026-11-23T12:00:00Z');
const unreachableTemporal = new Proxy({} as Client, {
  get() {
    throw new Error('Temporal must not be reached when an action is refused');
  },
});
let testDb: TestDatabase;
let organizationId: string;
let customer: Customer;
let open: Invoice;
let disputed: Invoice;
let paid: Invoice;
let pending: Invoice;
let pln: Invoice;

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  const tenant = await seedTenant(testDb.db);
  organizationId = tenant.organization.id;
  customer = tenant.customer;
  const invoice = (number: string, extra: Record<string, unknown> = {}) =>
    insertInvoice(testDb.db, {
      organization_id: organizationId,
      customer_id: customer.id,
      number,
      currency: 'EUR',
      total_minor: 1_000,
      issue_date: '2026-10-01',
      due_date: '2026-11-01',
      lines: [],
      ...extra,
    });
  open = await invoice('OPEN');
  disputed = await invoice('DISPUTED');
  paid = await invoice('PAID', { status: 'paid', paid_minor: 1_000 });
  pending = await invoice('PENDING', { payment_pending: true });
  pln = await invoice('PLN', { currency: 'PLN' });
  await openDispute(testDb.db, {
    organizationId,
    invoiceId: disputed.id,
    customerId: customer.id,
    reason: 'other',
    message: 'earlier',
  });
});
afterAll(async () => {
  await testDb?.drop();
});

const deps = () => ({ db: testDb.db, temporal: unreachableTemporal, now: () => now });
const ids = () => ({ organizationId, customerId: customer.id });
const rows = async () => ({
  disputes: Number(
    (
      await testDb.db
        .selectFrom('disputes')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  promises: Number(
    (
      await testDb.db
        .selectFrom('promises_to_pay')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  attachments: Number(
    (
      await testDb.db
        .selectFrom('dispute_attachments')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
});

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe('debtor disputes and promises', () => {
  it('opens no dispute at all when one of the chosen invoices is already disputed', async () => {
    const before = await rows();
    const code = await codeOf(() =>
      openDebtorDispute(deps(), {
        ...ids(),
        dispute: { invoiceIds: [open.id, disputed.id], reason: 'quality', message: 'Both are wrong' },
        attachments: [],
      }),
    );
    expect(code).toBe('CONFLICT');
    expect(await rows()).toEqual(before);
  });

  it('names the bad field and writes nothing for a missing reason, an empty message or a bad file', async () => {
    const before = await rows();
    const reason = await openDebtorDispute(deps(), {
      ...ids(),
      dispute: { invoiceIds: [open.id], reason: 'because', message: '  ' },
      attachments: [],
    }).catch((e: AppError) => e);
    expect((reason as AppError).options.details).toEqual([
      { field: 'reason', message: 'choose a reason' },
      { field: 'message', message: 'required' },
    ]);
    const file = await codeOf(() =>
      openDebtorDispute(deps(), {
        ...ids(),
        dispute: { invoiceIds: [open.id], reason: 'quality', message: 'see photo' },
        attachments: [
          { filename: 'photo.png', contentType: 'image/png', content: new TextEncoder().encode('MZ') },
        ],
      }),
    );
    expect(file).toBe('VALIDATION');
    expect(await rows()).toEqual(before);
  });

  it('refuses a promise for a closed invoice and writes nothing', async () => {
    const before = await rows();
    const code = await codeOf(() =>
      promiseDebtorPayment(deps(), { ...ids(), promise: { invoiceIds: [paid.id], date: '2026-12-01' } }),
    );
    expect(code).toBe('CONFLICT');
    expect(await rows()).toEqual(before);
  });
});

describe('debtor payment start', () => {
  const calls: Parameters<StartPaymentFn>[1][] = [];
  const fakeStart: StartPaymentFn = async (_deps, input) => {
    calls.push(input);
    return { attemptId: 'attempt-1', redirectUrl: 'https://checkout.example/session' };
  };
  const paymentDeps = () => ({
    db: testDb.db,
    portalBaseUrl: 'https://portal.example/',
    startPayment: fakeStart,
    now: () => now,
  });

  it('asks for the payment of the chosen invoices with the portal return page; an overdue balance in two currencies is refused', async () => {
    // EUR and PLN are both overdue: one payment cannot cover both.
    expect(
      await codeOf(() =>
        startDebtorPayment(paymentDeps(), { ...ids(), payment: { scope: 'overdue', method: 'card' } }),
      ),
    ).toBe('VALIDATION');
    const result = await startDebtorPayment(paymentDeps(), {
      ...ids(),
      payment: { scope: 'invoices', invoiceIds: [open.id, disputed.id], method: 'direct_debit' },
    });
    expect(result.redirectUrl).toBe('https://checkout.example/session');
    expect(calls.at(-1)).toEqual({
      organizationId,
      customerId: customer.id,
      invoiceIds: [open.id, disputed.id],
      method: 'direct_debit',
      successUrl: 'https://portal.example/p/payments/{ATTEMPT_ID}',
      cancelUrl: 'https://portal.example/p/pay',
    });
  });

  it('refuses an invoice with a payment on its way, a closed one, or mixed currencies', async () => {
    const count = calls.length;
    for (const invoiceIds of [[pending.id], [paid.id]]) {
      expect(
        await codeOf(() =>
          startDebtorPayment(paymentDeps(), {
            ...ids(),
            payment: { scope: 'invoices', invoiceIds, method: 'card' },
          }),
        ),
      ).toBe('CONFLICT');
    }
    expect(
      await codeOf(() =>
        startDebtorPayment(paymentDeps(), {
          ...ids(),
          payment: { scope: 'invoices', invoiceIds: [open.id, pln.id], method: 'card' },
        }),
      ),
    ).toBe('VALIDATION');
    expect(calls.length).toBe(count);
  });
});
