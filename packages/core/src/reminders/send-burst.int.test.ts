import { databaseEnv, loadConfig } from '@settle/config';
import { createDb, type Db, insertInvoice } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { addDays, DEFAULT_POLICY, localDateOf, type PlannedStep, planReminders } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeReminderStep } from './execute-reminder-step';
import type { ReminderDeps } from './message-ports';
import { CoveringMessagePendingError, ReminderDeferredError } from './same-day-merge';

/**
 * A burst of overdue invoices started together (an import, a restart after an outage): every
 * invoice's step of the day runs at once, as many workers' activities would. One message per
 * customer, channel and local day, and no invoice listed in two messages (issue 11, item 14).
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
let db: Db;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = createDb({ connectionString: testDb.url, maxConnections: 8 });
});
afterAll(async () => {
  await db?.destroy();
  await testDb?.drop();
});

const ZONE = 'Europe/Berlin';
const CUSTOMERS = 12;
const ROUNDS = 3;

function deps(now: Date): ReminderDeps {
  // A provider that answers after a moment, so steps of one customer overlap with a delivery.
  const send = async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
    return { ok: true as const, providerMessageId: null };
  };
  return {
    db,
    email: { provider: 'outbox', send },
    sms: { provider: 'outbox', send },
    now: () => now,
    portalBaseUrl: 'http://portal.test',
    logger: { warn: () => {} },
    renderEmailHtml: async ({ text }) => `<p>${text}</p>`,
    renderLetterPdf: async () => Buffer.from('%PDF-1.4'),
  };
}

/** The invoice's step the workflow runs today: its latest planned step on or before today. */
function stepOfToday(
  invoice: { id: string; issue_date: string; due_date: string },
  today: string,
): PlannedStep {
  const steps = planReminders({
    issueDate: invoice.issue_date,
    dueDate: invoice.due_date,
    timeZone: ZONE,
    country: 'DE',
    policy: DEFAULT_POLICY,
    jitterKey: invoice.id,
  }).filter((s) => s.localDate <= today && s.channel === 'email');
  const step = steps.at(-1);
  if (!step) throw new Error(`no step for ${invoice.id} by ${today}`);
  return step;
}

/** Runs the step as the worker's activity does: "the covering message is on its way" is retried. */
async function runStep(now: Date, invoiceId: string, step: PlannedStep) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await executeReminderStep(deps(now), {
        invoiceId,
        idempotencyKey: `invoice-${invoiceId}/step-${step.id}`,
        step,
      });
    } catch (error) {
      // Waits for the customer's next sending day: the worker retries it then.
      if (error instanceof ReminderDeferredError) return { status: 'deferred' as const };
      if (!(error instanceof CoveringMessagePendingError) || attempt > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}

/** Counts what the customers received: messages, slots (customer, channel, day) with two, invoices listed twice. */
async function countMessages() {
  const messages = await db
    .selectFrom('communications as c')
    .select(['c.id', 'c.customer_id', 'c.channel', 'c.status', 'c.created_at'])
    .where('c.status', 'in', ['sent', 'pending'])
    .execute();
  const slots = new Map<string, number>();
  for (const message of messages) {
    const slot = `${message.customer_id}/${message.channel}/${localDateOf(message.created_at.getTime(), ZONE)}`;
    slots.set(slot, (slots.get(slot) ?? 0) + 1);
  }
  const listings = await db
    .selectFrom('communication_invoices as ci')
    .innerJoin('communications as c', 'c.id', 'ci.communication_id')
    .select('ci.invoice_id')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('c.status', 'in', ['sent', 'pending'])
    .groupBy('ci.invoice_id')
    .execute();
  return {
    messages: messages.length,
    customersWithTwo: [...slots.values()].filter((count) => count > 1).length,
    listedTwice: listings.filter((row) => Number(row.count) > 1).length,
    invoicesListed: listings.length,
  };
}

describe('a burst of overdue invoices started together', () => {
  it("sends one message per customer, channel and day even while the customer's invoices are still arriving", async () => {
    // An import or a restart: each invoice's step starts as soon as the invoice exists, so a
    // customer's first step decides before its other invoices are there to be listed.
    const today = '2026-12-16'; // a Wednesday
    const now = new Date('2026-12-16T10:00:00+01:00');
    const before = await countMessages();
    const outcomes = await Promise.all(
      Array.from({ length: CUSTOMERS * ROUNDS }, async (_, n) => {
        const { organization, customer } = await seedTenant(db, { customer: { time_zone: ZONE } });
        const runs: Promise<{ status: string }>[] = [];
        for (const [index, dueDate] of [-2, -2, -9, -2].map((days) => addDays(today, days)).entries()) {
          const invoice = await insertInvoice(db, {
            organization_id: organization.id,
            customer_id: customer.id,
            number: `A-${n}-${index}`,
            currency: 'EUR',
            total_minor: 10_000,
            issue_date: addDays(dueDate, -30),
            due_date: dueDate,
            lines: [],
          });
          if (!invoice) throw new Error('invoice not created');
          runs.push(runStep(now, invoice.id, stepOfToday(invoice, today)));
        }
        return Promise.all(runs);
      }),
    );
    const after = await countMessages();
    const deferred = outcomes.flat().filter((outcome) => outcome.status === 'deferred').length;
    expect({
      messages: after.messages - before.messages,
      customersWithTwo: after.customersWithTwo - before.customersWithTwo,
      listedTwice: after.listedTwice - before.listedTwice,
      // An invoice that missed its customer's message of the day waits for the next day: none is lost.
      listedOrDeferred: after.invoicesListed - before.invoicesListed + deferred,
    }).toEqual({
      messages: CUSTOMERS * ROUNDS,
      customersWithTwo: 0,
      listedTwice: 0,
      listedOrDeferred: CUSTOMERS * ROUNDS * 4,
    });
  });

  it('sends one message per customer, channel and day, and lists every invoice once', async () => {
    const today = '2026-12-09'; // a Wednesday
    const now = new Date('2026-12-09T10:00:00+01:00');
    expect(localDateOf(now.getTime(), ZONE)).toBe(today);
    const before = await countMessages();
    for (let round = 0; round < ROUNDS; round++) {
      const customers = await Promise.all(
        Array.from({ length: CUSTOMERS }, () => seedTenant(db, { customer: { time_zone: ZONE } })),
      );
      const steps: [string, PlannedStep][] = [];
      for (const { organization, customer } of customers) {
        // Four overdue invoices, each with a firm e-mail step today (two days after due, then weekly).
        for (const [index, dueDate] of [
          addDays(today, -2),
          addDays(today, -2),
          addDays(today, -9),
          addDays(today, -2),
        ].entries()) {
          const invoice = await insertInvoice(db, {
            organization_id: organization.id,
            customer_id: customer.id,
            number: `B-${round}-${index}`,
            currency: 'EUR',
            total_minor: 10_000,
            issue_date: addDays(dueDate, -30),
            due_date: dueDate,
            lines: [],
          });
          if (!invoice) throw new Error('invoice not created');
          steps.push([invoice.id, stepOfToday(invoice, today)]);
        }
      }
      // Started together: every step of every customer at once.
      await Promise.all(steps.map(([invoiceId, step]) => runStep(now, invoiceId, step)));
    }

    const after = await countMessages();
    expect({
      messages: after.messages - before.messages,
      customersWithTwo: after.customersWithTwo - before.customersWithTwo,
      listedTwice: after.listedTwice - before.listedTwice,
      invoicesListed: after.invoicesListed - before.invoicesListed,
    }).toEqual({
      messages: CUSTOMERS * ROUNDS,
      customersWithTwo: 0,
      listedTwice: 0,
      invoicesListed: CUSTOMERS * ROUNDS * 4,
    });
  });

  it("lets an invoice that missed the customer's message of the day wait for the next day's send window", async () => {
    const today = '2026-12-23'; // a Wednesday
    const now = new Date('2026-12-23T10:00:00+01:00');
    const { organization, customer } = await seedTenant(db, { customer: { time_zone: ZONE } });
    const owner = (number: string) => ({
      organization_id: organization.id,
      customer_id: customer.id,
      number,
      currency: 'EUR',
      total_minor: 10_000,
      issue_date: addDays(today, -32),
      due_date: addDays(today, -2),
      lines: [],
    });
    const first = await insertInvoice(db, owner('LATE-1'));
    if (!first) throw new Error('invoice not created');
    expect((await runStep(now, first.id, stepOfToday(first, today))).status).toBe('sent');
    // Created after the customer's reminder of the day went out.
    const second = await insertInvoice(db, owner('LATE-2'));
    if (!second) throw new Error('invoice not created');
    const step = stepOfToday(second, today);
    const input = { invoiceId: second.id, idempotencyKey: `invoice-${second.id}/step-${step.id}`, step };
    await expect(executeReminderStep(deps(now), input)).rejects.toBeInstanceOf(ReminderDeferredError);
    // The worker's retry at night still waits; one inside the next morning's window sends it.
    const night = new Date('2026-12-24T00:20:00+01:00');
    const deferred = await executeReminderStep(deps(night), input).catch((error: unknown) => error);
    expect(deferred).toBeInstanceOf(ReminderDeferredError);
    const resumeAt = (deferred as ReminderDeferredError).resumeAt;
    expect(localDateOf(resumeAt.getTime(), ZONE)).toBe('2026-12-24');
    const outcome = await executeReminderStep(deps(new Date(resumeAt.getTime() + 60_000)), input);
    expect(outcome.status).toBe('sent');
    const messages = await db
      .selectFrom('communications')
      .select(['slot_date'])
      .where('customer_id', '=', customer.id)
      .orderBy('created_at')
      .execute();
    expect(messages.map((m) => m.slot_date)).toEqual([today, '2026-12-24']);
  });
});
