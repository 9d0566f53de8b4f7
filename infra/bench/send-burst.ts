import { createDb } from '@settle/db';
import { seedTenant } from '@settle/db/testing';
import {
  benchDatabase,
  countDeliveries,
  createWorkerModel,
  overdueInvoice,
  sendDeps,
  stepOfToday,
  ZONE,
} from './send-bench-support';

/**
 * `infra/settle.sh bench burst`: a burst of overdue invoices started together (issue 11, item 14).
 * BENCH_CUSTOMERS customers (default 250) with 4 overdue invoices each, every one with an e-mail
 * step due now, run as the worker runs them (see send-bench-support.ts): first with every invoice
 * in place before the steps start, then again on new customers with each step handed to the worker
 * as soon as its invoice exists (an import whose workflows start while it runs). Counts the
 * messages (one per customer is right), customers with two messages on one day and channel, and
 * invoices listed in two messages (both must be 0), and how the steps ended.
 *
 *   BENCH_CUSTOMERS=250 infra/settle.sh bench burst
 */
const customers = Number(process.env.BENCH_CUSTOMERS ?? 250);
const slots = Number(process.env.BENCH_SLOTS ?? 20);
const retryAfterMs = Number(process.env.BENCH_RETRY_MS ?? 5_000);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
/** Days overdue of each customer's four invoices: each has a firm e-mail today (2 days, then weekly). */
const OVERDUE = [2, 2, 9, 2];

const database = await benchDatabase();
const db = createDb({ connectionString: database.url, maxConnections: poolSize });
try {
  const worker = createWorkerModel(sendDeps(db), { slots, retryAfterMs });
  const results: string[] = [];
  for (const mode of ['invoices in place, then started', 'started while the invoices arrive'] as const) {
    const before = await countDeliveries(db);
    const started = performance.now();
    const jobs: ReturnType<typeof worker.submit>[] = [];
    const seeded = [];
    for (let n = 0; n < customers; n++) {
      const { organization, customer } = await seedTenant(db, { customer: { time_zone: ZONE } });
      for (const [index, days] of OVERDUE.entries()) {
        const owner = { organizationId: organization.id, customerId: customer.id };
        const invoice = await overdueInvoice(db, owner, `BURST-${n}-${index}`, days);
        if (mode === 'started while the invoices arrive')
          jobs.push(worker.submit(invoice.id, stepOfToday(invoice)));
        else seeded.push(invoice);
      }
    }
    for (const invoice of seeded) jobs.push(worker.submit(invoice.id, stepOfToday(invoice)));
    const outcomes = await Promise.all(jobs.map((job) => job.done));
    const seconds = (performance.now() - started) / 1000;
    const after = await countDeliveries(db);
    const statuses = new Map<string, number>();
    for (const outcome of outcomes) statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
    results.push(
      [
        `${mode}: ${jobs.length} steps of ${customers} customers in ${seconds.toFixed(1)} s (${[...statuses].map(([s, k]) => `${k} ${s}`).join(', ')})`,
        `  messages ${after.messages - before.messages} (one per customer: ${customers})`,
        `  customers with two messages on one day and channel ${after.customersWithTwo - before.customersWithTwo}`,
        `  invoices listed in two messages ${after.invoicesListedTwice - before.invoicesListedTwice}`,
        `  invoices listed ${after.invoicesListed - before.invoicesListed} of ${jobs.length}`,
      ].join('\n'),
    );
  }
  console.log(
    [
      `send burst: ${customers} customers x ${OVERDUE.length} overdue invoices, pool ${poolSize}, ${slots} activity slots`,
      ...results,
    ].join('\n'),
  );
} finally {
  await db.destroy();
  await database.drop();
}
