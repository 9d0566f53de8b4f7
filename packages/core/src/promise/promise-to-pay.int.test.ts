import { databaseEnv, loadConfig } from '@settle/config';
import { type Customer, type Invoice, insertInvoice } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { DEFAULT_POLICY } from '@settle/domain';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promiseDebtorPayment } from '../debtor-portal/promise-debtor-payment';
import { AppError } from '../errors';
import { saveReminderPolicy } from '../policy/reminder-policy-rows';
import { promiseInvoicePayment } from './promise-invoice-payment';

/**
 * The limits on promises to pay: how often one may be renewed per invoice (the policy's
 * `maxPromiseRenewals`) and the dates allowed, counted from the customer's own today. No workflow
 * runs here: Temporal stands in as a server with no running workflow, which the signal tolerates.
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
const signalled: string[] = [];
const noWorkflowTemporal = {
  workflow: {
    getHandle: (workflowId: string) => ({
      signal: async () => {
        signalled.push(workflowId);
        throw new WorkflowNotFoundError('no workflow in this test', workflowId, undefined);
      },
    }),
  },
} as unknown as Client;

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

const deps = (now: Date) => ({ db: testDb.db, temporal: noWorkflowTemporal, now: () => now });

async function tenantWithInvoices(
  numbers: string[],
  customer: Partial<Customer> = {},
): Promise<{ organizationId: string; customer: Customer; invoices: Invoice[] }> {
  const tenant = await seedTenant(testDb.db, { customer });
  const invoices: Invoice[] = [];
  for (const number of numbers) {
    invoices.push(
      await insertInvoice(testDb.db, {
        organization_id: tenant.organization.id,
        customer_id: tenant.customer.id,
        number,
        currency: 'EUR',
        total_minor: 10_000,
        issue_date: '2026-10-01',
        due_date: '2026-11-01',
        lines: [],
      }),
    );
  }
  return { organizationId: tenant.organization.id, customer: tenant.customer, invoices };
}

const promisesOf = async (invoiceId: string) =>
  testDb.db
    .selectFrom('promises_to_pay')
    .select(['promised_date', 'status'])
    .where('invoice_id', '=', invoiceId)
    .orderBy('created_at')
    .execute();

async function refusal(run: () => Promise<unknown>): Promise<AppError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('promise limits', () => {
  const now = new Date('2026-11-23T12:00:00Z');

  it('allows one renewal by default and refuses the second, in words a debtor understands', async () => {
    expect(DEFAULT_POLICY.maxPromiseRenewals).toBe(1);
    const { organizationId, customer, invoices } = await tenantWithInvoices(['R-1']);
    const invoice = invoices[0]!;
    const promise = (date: string) =>
      promiseDebtorPayment(deps(now), {
        organizationId,
        customerId: customer.id,
        promise: { invoiceIds: [invoice.id], date },
      });
    await promise('2026-11-30');
    await promise('2026-12-07'); // the one renewal
    const error = await refusal(() => promise('2026-12-14'));
    expect(error.code).toBe('CONFLICT');
    expect(error.userMessage).toBe(
      'You have already changed the promised payment date for invoice R-1 once, which is as often as we can accept. Please pay by the date you last gave, or contact us if that is not possible.',
    );
    // Finance recording the same renewal is held to the same policy.
    const byFinance = await refusal(() =>
      promiseInvoicePayment(deps(now), {
        organizationId,
        invoiceId: invoice.id,
        date: '2026-12-14',
        actor: { type: 'system', id: 'test' },
      }),
    );
    expect(byFinance.code).toBe('CONFLICT');
    expect((await promisesOf(invoice.id)).map((p) => `${p.promised_date} ${p.status}`)).toEqual([
      '2026-11-30 cancelled',
      '2026-12-07 active',
    ]);
  });

  it('refuses a promise over several invoices as a whole when one has used its renewals', async () => {
    const { organizationId, customer, invoices } = await tenantWithInvoices(['M-1', 'M-2']);
    const [first, second] = invoices as [Invoice, Invoice];
    const promise = (invoiceIds: string[], date: string) =>
      promiseDebtorPayment(deps(now), {
        organizationId,
        customerId: customer.id,
        promise: { invoiceIds, date },
      });
    await promise([first.id], '2026-11-30');
    await promise([first.id], '2026-12-01');
    const error = await refusal(() => promise([second.id, first.id], '2026-12-05'));
    expect(error.code).toBe('CONFLICT');
    expect(error.userMessage).toContain('invoice M-1');
    expect(await promisesOf(second.id)).toEqual([]);
  });

  it("follows the customer's policy: with no renewals allowed, the first promise cannot be replaced", async () => {
    const { organizationId, customer, invoices } = await tenantWithInvoices(['Z-1']);
    await saveReminderPolicy(testDb.db, {
      organizationId,
      name: 'No renewals',
      isDefault: true,
      policy: { ...DEFAULT_POLICY, maxPromiseRenewals: 0 },
    });
    const promise = (date: string) =>
      promiseDebtorPayment(deps(now), {
        organizationId,
        customerId: customer.id,
        promise: { invoiceIds: [invoices[0]!.id], date },
      });
    await promise('2026-11-30');
    const error = await refusal(() => promise('2026-12-01'));
    expect(error.userMessage).toMatch(
      /already promised a payment date for invoice Z-1, and it cannot be changed/,
    );
  });

  it("counts the allowed dates from the customer's local today, not the server's UTC date", async () => {
    // 20:00 UTC on 1 December is 09:00 on 2 December in Auckland (NZDT, UTC+13).
    const evening = new Date('2026-12-01T20:00:00Z');
    const { organizationId, customer, invoices } = await tenantWithInvoices(['NZ-1', 'NZ-2'], {
      time_zone: 'Pacific/Auckland',
    });
    const promise = (invoice: Invoice, date: string) =>
      promiseDebtorPayment(deps(evening), {
        organizationId,
        customerId: customer.id,
        promise: { invoiceIds: [invoice.id], date },
      });
    // The last allowed day is the local 2 December + 30 days; by the UTC date it would be 31 December.
    await promise(invoices[0]!, '2027-01-01');
    const yesterday = await refusal(() => promise(invoices[1]!, '2026-12-01'));
    expect(yesterday.code).toBe('VALIDATION');
    expect(yesterday.userMessage).toBe('Please choose a payment date between 2026-12-02 and 2027-01-01.');
    expect(yesterday.options.details).toEqual([
      { field: 'date', message: 'choose a date between 2026-12-02 and 2027-01-01' },
    ]);
    await promise(invoices[1]!, '2026-12-02');
    expect(signalled).toContain(`invoice-${invoices[1]!.id}`);
  });
});
