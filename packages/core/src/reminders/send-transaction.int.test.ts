import { databaseEnv, loadConfig } from '@settle/config';
import { createDb, type Db, insertInvoice, sql } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { addDays, DEFAULT_POLICY, type PlannedStep, planReminders } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeReminderStep } from './execute-reminder-step';
import type { ReminderDeps } from './message-ports';

/**
 * The send path holds its customer's lock only to decide and record (issue 11, item 11): every
 * send of a customer waits for that lock, so rendering under it (templates over all the customer's
 * open invoices, HTML, a letter's PDF) let one customer with a large backlog fill the worker's pool
 * and stall every other customer. The renderers here look at the database while they run.
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
let db: Db;
/** The renderers' own connection, outside the pool the step uses. */
let probe: Db;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = createDb({ connectionString: testDb.url, maxConnections: 3 });
  probe = createDb({ connectionString: testDb.url, maxConnections: 1 });
});
afterAll(async () => {
  await db?.destroy();
  await probe?.destroy();
  await testDb?.drop();
});

const ZONE = 'Europe/Berlin';
const TODAY = '2026-12-09'; // a Wednesday
const NOW = new Date('2026-12-09T10:00:00+01:00');

interface RenderObservation {
  renderer: 'html' | 'pdf';
  /** Whether the customer's row could be locked at once by another transaction. */
  customerLockFree: boolean;
  /** Transactions open in the database, other than the probe's own. */
  openTransactions: number;
}

/** What the database looks like from outside while a renderer runs. */
async function observe(
  renderer: RenderObservation['renderer'],
  customerId: string,
): Promise<RenderObservation> {
  const openTransactions = await sql<{ count: string }>`
    SELECT count(*) AS count FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
  `.execute(probe);
  let customerLockFree = true;
  try {
    await probe.transaction().execute(async (tx) => {
      await sql`SELECT id FROM customers WHERE id = ${customerId} FOR NO KEY UPDATE NOWAIT`.execute(tx);
    });
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error; // lock_not_available
    customerLockFree = false;
  }
  return { renderer, customerLockFree, openTransactions: Number(openTransactions.rows[0]?.count ?? 0) };
}

function stepOfToday(invoice: { id: string; issue_date: string; due_date: string }): PlannedStep {
  const step = planReminders({
    issueDate: invoice.issue_date,
    dueDate: invoice.due_date,
    timeZone: ZONE,
    country: 'DE',
    policy: DEFAULT_POLICY,
    jitterKey: invoice.id,
  })
    .filter((s) => s.localDate === TODAY && s.channel !== 'call' && s.channel !== 'collections')
    .at(-1);
  if (!step) throw new Error(`no step today for ${invoice.id}`);
  return step;
}

describe('the send step', () => {
  it('renders e-mails and letters with no transaction open and the customer not locked', async () => {
    const { organization, customer } = await seedTenant(db, { customer: { time_zone: ZONE } });
    const observations: RenderObservation[] = [];
    const send = async () => ({ ok: true as const, providerMessageId: null });
    const deps: ReminderDeps = {
      db,
      email: { provider: 'outbox', send },
      sms: { provider: 'outbox', send },
      now: () => NOW,
      portalBaseUrl: 'http://portal.test',
      logger: { warn: () => {} },
      renderEmailHtml: async ({ text }) => {
        observations.push(await observe('html', customer.id));
        return `<p>${text}</p>`;
      },
      renderLetterPdf: async () => {
        observations.push(await observe('pdf', customer.id));
        return Buffer.from('%PDF-1.4');
      },
    };
    // A customer with a backlog: forty open invoices, an e-mail step today (two days overdue) and a
    // formal letter today (three weeks overdue) among them.
    const invoices = [];
    for (let n = 0; n < 40; n++) {
      const dueDate = addDays(TODAY, n === 0 ? -21 : n < 20 ? -2 : 10);
      const invoice = await insertInvoice(db, {
        organization_id: organization.id,
        customer_id: customer.id,
        number: `BIG-${n}`,
        currency: 'EUR',
        total_minor: 10_000,
        issue_date: addDays(dueDate, -30),
        due_date: dueDate,
        lines: [],
      });
      if (!invoice) throw new Error('invoice not created');
      invoices.push(invoice);
    }
    for (const invoice of [invoices[0], invoices[1]]) {
      if (!invoice) continue;
      const step = stepOfToday(invoice);
      const outcome = await executeReminderStep(deps, {
        invoiceId: invoice.id,
        idempotencyKey: `invoice-${invoice.id}/step-${step.id}`,
        step,
      });
      expect(outcome.status).toBe('sent');
    }
    expect(observations.map((o) => o.renderer).sort()).toEqual(['html', 'pdf']);
    expect(observations).toEqual([
      expect.objectContaining({ customerLockFree: true, openTransactions: 0 }),
      expect.objectContaining({ customerLockFree: true, openTransactions: 0 }),
    ]);
  });
});
