import { databaseEnv, loadConfig } from '@settle/config';
import {
  CoveringMessagePendingError,
  executeReminderStep,
  ReminderDeferredError,
  type ReminderDeps,
} from '@settle/core';
import { createDb, type Db, insertInvoice, sql } from '@settle/db';
import { createTestDatabase, prepareTestTemplate, type TestDatabase } from '@settle/db/testing';
import { addDays, DEFAULT_POLICY, localDateOf, type PlannedStep, planReminders } from '@settle/domain';
import { renderEmailHtml } from '../../apps/worker/src/messages/render-email';
import { renderLetterPdf } from '../../apps/worker/src/messages/render-letter';

/**
 * What the send benchmarks share: a database of their own (under the `settle_bench_send` admin
 * database, so they never drop a test run's or another benchmark's databases), the send step as
 * the worker runs it (the real e-mail and letter renderers, a provider that answers after a few
 * milliseconds, a fixed number of activity slots, and Temporal's retry of "the covering message is
 * on its way" after its initial interval), and percentiles.
 */

export const ZONE = 'Europe/Berlin';
export const TODAY = '2026-12-09'; // a Wednesday
export const NOW = new Date('2026-12-09T10:00:00+01:00');

export async function benchDatabase(): Promise<TestDatabase> {
  const adminUrl = new URL(loadConfig(databaseEnv).DATABASE_URL);
  const benchAdmin = new URL(adminUrl);
  benchAdmin.pathname = '/settle_bench_send';
  const admin = createDb({ connectionString: adminUrl.toString(), maxConnections: 1 });
  const exists = await sql`SELECT 1 FROM pg_database WHERE datname = 'settle_bench_send'`.execute(admin);
  if (exists.rows.length === 0) await sql`CREATE DATABASE settle_bench_send`.execute(admin);
  await admin.destroy();
  await prepareTestTemplate(benchAdmin.toString());
  return createTestDatabase(benchAdmin.toString());
}

export function sendDeps(db: Db): ReminderDeps {
  const send = async () => {
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
    return { ok: true as const, providerMessageId: null };
  };
  return {
    db,
    email: { provider: 'outbox', send },
    sms: { provider: 'outbox', send },
    now: () => NOW,
    portalBaseUrl: 'http://portal.bench',
    logger: { warn: () => {} },
    renderEmailHtml,
    renderLetterPdf,
  };
}

/** An open invoice of the customer, `daysOverdue` past its due date today. */
export async function overdueInvoice(
  db: Db,
  owner: { organizationId: string; customerId: string },
  number: string,
  daysOverdue: number,
) {
  const dueDate = addDays(TODAY, -daysOverdue);
  const invoice = await insertInvoice(db, {
    organization_id: owner.organizationId,
    customer_id: owner.customerId,
    number,
    currency: 'EUR',
    total_minor: 10_000 + Math.floor(Math.random() * 90_000),
    issue_date: addDays(dueDate, -30),
    due_date: dueDate,
    lines: [],
  });
  if (!invoice) throw new Error('invoice not created');
  return invoice;
}

/** The e-mail step the invoice's workflow runs today: its latest planned e-mail on or before today. */
export function stepOfToday(invoice: { id: string; issue_date: string; due_date: string }): PlannedStep {
  const step = planReminders({
    issueDate: invoice.issue_date,
    dueDate: invoice.due_date,
    timeZone: ZONE,
    country: 'DE',
    policy: DEFAULT_POLICY,
    jitterKey: invoice.id,
  })
    .filter((s) => s.localDate <= TODAY && s.channel === 'email')
    .at(-1);
  if (!step) throw new Error(`no e-mail step by ${TODAY}`);
  return step;
}

export interface StepJob {
  invoiceId: string;
  step: PlannedStep;
  /** When the job was handed to the worker (ms, performance clock). */
  submittedAt: number;
  done: Promise<{ finishedAt: number; status: string }>;
}

/**
 * The worker's activity slots: at most `slots` steps run at once, the others wait in arrival
 * order (as tasks wait in Temporal's task queue). A step refused because the message that lists
 * its invoice is not yet delivered goes back to the queue after `retryAfterMs` (the activity's
 * initial retry interval). A step deferred to the customer's next sending day ends as "deferred".
 */
export function createWorkerModel(
  deps: ReminderDeps,
  options: {
    slots: number;
    retryAfterMs: number;
    /** The send step to run (another build of it, to compare). */
    execute?: typeof executeReminderStep;
    /** Whether an error means "wait and retry" (that build's own error class). */
    isWaiting?: (error: unknown) => boolean;
  },
) {
  const execute = options.execute ?? executeReminderStep;
  const isWaiting = options.isWaiting ?? ((error: unknown) => error instanceof CoveringMessagePendingError);
  const queue: (() => Promise<void>)[] = [];
  let running = 0;
  const pump = () => {
    while (running < options.slots && queue.length > 0) {
      const task = queue.shift();
      if (!task) break;
      running++;
      void task().finally(() => {
        running--;
        pump();
      });
    }
  };
  const submit = (invoiceId: string, step: PlannedStep): StepJob => {
    const submittedAt = performance.now();
    const done = new Promise<{ finishedAt: number; status: string }>((resolve, reject) => {
      const attempt = async () => {
        try {
          const outcome = await execute(deps, {
            invoiceId,
            idempotencyKey: `invoice-${invoiceId}/step-${step.id}`,
            step,
          });
          resolve({ finishedAt: performance.now(), status: outcome.status });
        } catch (error) {
          // Waits for the customer's next sending day (the worker retries it then): counted, not run.
          if (error instanceof ReminderDeferredError) {
            return resolve({ finishedAt: performance.now(), status: 'deferred to the next day' });
          }
          if (!isWaiting(error)) {
            // A transient failure (a pool timeout, a conflict): retried like any activity.
            if (!(error instanceof Error) || !/timeout|conflict|connect/i.test(error.message))
              return reject(error);
          }
          setTimeout(() => {
            queue.push(attempt);
            pump();
          }, options.retryAfterMs);
        }
      };
      queue.push(attempt);
    });
    pump();
    return { invoiceId, step, submittedAt, done };
  };
  return { submit, queued: () => queue.length };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Messages, (customer, channel, local day) slots with more than one, invoices listed in more than one. */
export async function countDeliveries(db: Db) {
  const messages = await db
    .selectFrom('communications')
    .select(['customer_id', 'channel', 'created_at'])
    .where('status', 'in', ['sent', 'pending'])
    .execute();
  const slots = new Map<string, number>();
  for (const message of messages) {
    const key = `${message.customer_id}/${message.channel}/${localDateOf(message.created_at.getTime(), ZONE)}`;
    slots.set(key, (slots.get(key) ?? 0) + 1);
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
    invoicesListed: listings.length,
    invoicesListedTwice: listings.filter((row) => Number(row.count) > 1).length,
  };
}
