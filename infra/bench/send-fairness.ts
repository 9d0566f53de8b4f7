import { createDb } from '@settle/db';
import { seedTenant } from '@settle/db/testing';
import {
  benchDatabase,
  countDeliveries,
  createWorkerModel,
  overdueInvoice,
  percentile,
  sendDeps,
  stepOfToday,
  ZONE,
} from './send-bench-support';

/**
 * `infra/settle.sh bench fairness`: how long other customers' reminders wait while one customer has
 * a backlog of due steps (issue 11, item 11). On a database of its own, one customer gets
 * BENCH_BACKLOG open invoices (default 1,200), each with a reminder due now, and BENCH_OTHERS other
 * customers one each. The send step runs as the worker runs it: the real renderers, a pool of
 * DATABASE_POOL_SIZE connections (default 10), BENCH_SLOTS activity slots (default 20, the worker's
 * WORKER_MAX_CONCURRENT_ACTIVITIES) and a retry after BENCH_RETRY_MS (default 5,000, the activity's
 * initial interval) while the message listing an invoice is on its way. First the others' steps
 * run alone (the baseline), then again on fresh invoices right after the whole backlog was handed
 * to the worker. Two backlogs: *same day* (every step planned today, so they merge into one
 * message) and *caught up* (overdue invoices imported late: each step was planned for an earlier
 * day, so none is another's companion and each decides on its own, the case that used to render
 * under the customer's lock 1,200 times). Reports the others' delays (hand-over to done) and their
 * ratio to the baseline; the target is that a backlog never delays another customer by more than a
 * minute. BENCH_KINDS=same-day,caught-up picks the backlogs. Reports, never
 * asserts: the machine may be shared and noisy.
 *
 *   BENCH_BACKLOG=1200 BENCH_OTHERS=30 infra/settle.sh bench fairness
 */
const backlog = Number(process.env.BENCH_BACKLOG ?? 1_200);
const others = Number(process.env.BENCH_OTHERS ?? 30);
const slots = Number(process.env.BENCH_SLOTS ?? 20);
const retryAfterMs = Number(process.env.BENCH_RETRY_MS ?? 5_000);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
/** The others' steps arrive one every this many ms, during the backlog as in the baseline. */
const arrivalMs = 100;
const kinds = (process.env.BENCH_KINDS ?? 'same-day,caught-up').split(',');
/** Days overdue of a backlog invoice: two is a step today; three to seven, a step of an earlier day. */
const daysOverdue = (kind: string, n: number) => (kind === 'same-day' ? 2 : 3 + (n % 5));

const database = await benchDatabase();
const db = createDb({ connectionString: database.url, maxConnections: poolSize });
try {
  /** One overdue invoice (a step today) for each of `others` new customers. */
  const otherInvoices = async (label: string) => {
    const invoices = [];
    for (let n = 0; n < others; n++) {
      const { customer } = await seedTenant(db, {
        customer: { name: `Other ${label} ${n}`, time_zone: ZONE },
      });
      const owner = { organizationId: customer.organization_id, customerId: customer.id };
      invoices.push(await overdueInvoice(db, owner, `${label}-${n}`, 2));
    }
    return invoices;
  };
  const worker = createWorkerModel(sendDeps(db), { slots, retryAfterMs });
  const runOthers = async (invoices: Awaited<ReturnType<typeof otherInvoices>>) => {
    const jobs = [];
    for (const invoice of invoices) {
      jobs.push(worker.submit(invoice.id, stepOfToday(invoice)));
      await new Promise((resolve) => setTimeout(resolve, arrivalMs));
    }
    const delays = [];
    for (const job of jobs) delays.push((await job.done).finishedAt - job.submittedAt);
    return delays;
  };
  const row = (label: string, values: number[]) =>
    `${label.padEnd(40)}${[50, 95, 100].map((p) => `${Math.round(percentile(values, p))} ms`.padStart(12)).join('')}`;

  const baseline = await runOthers(await otherInvoices('BASE'));
  const lines = [
    `send fairness: one customer with ${backlog} due steps, ${others} other customers with one each`,
    `pool ${poolSize} connections, ${slots} activity slots, covering-message retry after ${retryAfterMs} ms`,
    '',
    `${'other customers\u2019 delay'.padEnd(40)}${['p50', 'p95', 'max'].map((h) => h.padStart(12)).join('')}`,
    row('alone (baseline)', baseline),
  ];
  const notes: string[] = [];
  for (const kind of kinds) {
    const big = await seedTenant(db, { customer: { name: `Backlog ${kind}`, time_zone: ZONE } });
    const owner = { organizationId: big.organization.id, customerId: big.customer.id };
    const backlogInvoices = [];
    for (let n = 0; n < backlog; n++) {
      backlogInvoices.push(await overdueInvoice(db, owner, `BIG-${kind}-${n}`, daysOverdue(kind, n)));
    }
    const loadedInvoices = await otherInvoices(`LOAD-${kind}`);
    const before = await countDeliveries(db);
    const backlogStart = performance.now();
    const backlogJobs = backlogInvoices.map((invoice) => worker.submit(invoice.id, stepOfToday(invoice)));
    const loaded = await runOthers(loadedInvoices);
    const outcomes = await Promise.all(backlogJobs.map((job) => job.done));
    const drained = Math.max(...outcomes.map((o) => o.finishedAt)) - backlogStart;
    const statuses = new Map<string, number>();
    for (const outcome of outcomes) statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
    const after = await countDeliveries(db);
    const ratio = [50, 95, 100].map(
      (p) => `${(percentile(loaded, p) / percentile(baseline, p)).toFixed(1)}x`,
    );
    lines.push(
      row(`behind a ${kind} backlog`, loaded),
      `${'  ratio to the baseline'.padEnd(40)}${ratio.map((r) => r.padStart(12)).join('')}`,
    );
    notes.push(
      `${kind} backlog drained in ${(drained / 1000).toFixed(1)} s: ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}; ` +
        `messages ${after.messages - before.messages}, customers with two on one day and channel ${after.customersWithTwo - before.customersWithTwo}, ` +
        `invoices listed twice ${after.invoicesListedTwice - before.invoicesListedTwice}; ` +
        `worst delay of another customer ${(percentile(loaded, 100) / 1000).toFixed(1)} s (target: under 60 s)`,
    );
  }
  console.log([...lines, '', ...notes].join('\n'));
} finally {
  await db.destroy();
  await database.drop();
}
