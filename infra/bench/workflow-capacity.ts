import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { databaseEnv, loadConfig } from '@settle/config';
import { saveReminderPolicy } from '@settle/core';
import { createDb, sql, upsertTemplate } from '@settle/db';
import { createTestDatabase, prepareTestTemplate, seedTenant } from '@settle/db/testing';
import { addDays, DEFAULT_POLICY, DEFAULT_TEMPLATES, localDateOf, type ReminderPolicy } from '@settle/domain';
import { invoiceChangedSignal, invoiceWorkflowId, startInvoiceReminders } from '@settle/workflows';
import { Client, Connection } from '@temporalio/client';
import { freePort, ROOT } from '../dev/stack';

/**
 * `infra/settle.sh bench capacity`: how many open invoice workflows one worker holds. Starts a
 * Temporal dev server (in memory) and the real worker process on a database of its own, opens
 * BENCH_WORKFLOWS invoice workflows in batches, and reports the worker's resident memory and the
 * duration of workflow tasks (from the histories: task started → completed) early and at the end,
 * as ratios to the figures measured in the same run with only the first batch open. Reports, never
 * asserts: the machine may be shared and noisy.
 *
 *   BENCH_WORKFLOWS=10000 infra/settle.sh bench capacity
 */
const total = Number(process.env.BENCH_WORKFLOWS ?? 10_000);
const batch = Math.min(total, Number(process.env.BENCH_BATCH ?? 500));
const sample = Number(process.env.BENCH_SAMPLE ?? 300);
const temporalCliPath = process.env.TEMPORAL_CLI_PATH;
if (!temporalCliPath) throw new Error('TEMPORAL_CLI_PATH is not set: run through infra/settle.sh bench');

// Its own admin database, so preparing the template never drops a test run's databases.
const adminUrl = new URL(loadConfig(databaseEnv).DATABASE_URL);
const benchAdmin = new URL(adminUrl);
benchAdmin.pathname = '/settle_bench';
{
  const admin = createDb({ connectionString: adminUrl.toString(), maxConnections: 1 });
  const exists = await sql`SELECT 1 FROM pg_database WHERE datname = 'settle_bench'`.execute(admin);
  if (exists.rows.length === 0) await sql`CREATE DATABASE settle_bench`.execute(admin);
  await admin.destroy();
}
await prepareTestTemplate(benchAdmin.toString());
const database = await createTestDatabase(benchAdmin.toString());

const children: ChildProcess[] = [];
const stopAll = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
};
process.on('exit', stopAll);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code, signal) => {
    if (!finished) console.error(`${args.join(' ')} exited (${signal ?? code}):\n${output.join('')}`);
  });
  children.push(child);
  return child;
}
let finished = false;

/** Resident memory of a process and its children (the worker runs its workflows in a thread). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kb / 1024;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Durations (ms) of the workflow tasks in a history after `after` (epoch ms), started → completed. */
async function taskDurations(client: Client, workflowId: string, after = 0): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const started = new Map<string, number>();
  const durations: number[] = [];
  const ms = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
  for (const event of history.events ?? []) {
    const at = ms(event.eventTime);
    if (event.workflowTaskStartedEventAttributes) started.set(String(event.eventId), at);
    const completed = event.workflowTaskCompletedEventAttributes;
    if (completed && at >= after) {
      const start = started.get(String(completed.startedEventId));
      if (start !== undefined) durations.push(at - start);
    }
  }
  return durations;
}

const temporalPort = await freePort();
const taskQueue = 'reminders';
run(temporalCliPath, [
  'server',
  'start-dev',
  '--headless',
  '--ip',
  '127.0.0.1',
  '--port',
  String(temporalPort),
  '--log-level',
  'error',
]);
const address = `127.0.0.1:${temporalPort}`;
let connection: Connection | undefined;
for (let i = 0; i < 120 && !connection; i++) {
  connection = await Connection.connect({ address, connectTimeout: 1000 }).catch(() => undefined);
  if (!connection) await new Promise((r) => setTimeout(r, 500));
}
if (!connection) throw new Error('Temporal dev server did not start');
const client = new Client({ connection });

try {
  // One organization, 200 customers, invoices due in 60 days; the policy's first step is after the due
  // date, so every workflow plans and then sleeps: the steady state of an open ledger.
  const today = localDateOf(Date.now(), 'Europe/Berlin');
  const { organization } = await seedTenant(database.db);
  const policy: ReminderPolicy = {
    ...DEFAULT_POLICY,
    steps: DEFAULT_POLICY.steps.filter((step) => step.anchor === 'due_date' && step.offsetDays > 0),
  };
  await saveReminderPolicy(database.db, {
    organizationId: organization.id,
    name: 'Bench',
    isDefault: true,
    policy,
  });
  for (const template of DEFAULT_TEMPLATES) {
    await upsertTemplate(database.db, { organization_id: organization.id, ...template });
  }
  const customers = await database.db
    .insertInto('customers')
    .values(
      Array.from({ length: 200 }, (_, i) => ({
        organization_id: organization.id,
        code: `B-${i}`,
        name: `Bench customer ${i}`,
        email: `ap${i}@bench.example`,
        country: 'DE',
        locale: 'de',
        time_zone: 'Europe/Berlin',
      })),
    )
    .returning('id')
    .execute();
  const invoiceIds: string[] = [];
  for (let from = 0; from < total; from += 1000) {
    const rows = await database.db
      .insertInto('invoices')
      .values(
        Array.from({ length: Math.min(1000, total - from) }, (_, i) => ({
          organization_id: organization.id,
          customer_id: customers[(from + i) % customers.length]?.id as string,
          number: `BENCH-${from + i}`,
          currency: 'EUR',
          total_minor: 10_000,
          issue_date: today,
          due_date: addDays(today, 60),
        })),
      )
      .returning('id')
      .execute();
    invoiceIds.push(...rows.map((row) => row.id));
  }

  // The worker as production runs it: compiled (`build`: plain node, no TypeScript loader) with the
  // prebuilt workflow bundle, cache and concurrency from its settings (WORKER_MAX_CACHED_WORKFLOWS
  // and friends pass through from this environment).
  execFileSync('pnpm', ['--silent', '--filter', '@settle/worker', 'build'], { cwd: ROOT });
  const worker = run('pnpm', ['--silent', '--filter', '@settle/worker', 'start:built'], {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
    // Node's own options for the worker process only (for example a heap limit), not for this script.
    NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? '',
  });
  // The worker is ready when it polls: describe the task queue until a poller shows up.
  for (let i = 0; ; i++) {
    const described = await client.workflowService
      .describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 })
      .catch(() => null);
    if ((described?.pollers?.length ?? 0) > 0) break;
    if (i > 240) throw new Error('the worker did not start polling within two minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  const workerPid = await findWorkerPid(worker.pid as number);
  await new Promise((r) => setTimeout(r, 3000));
  const idleRss = rssMiB(workerPid);

  const startBatch = async (ids: string[]) => {
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => startInvoiceReminders(client, id, { taskQueue })));
    }
  };
  /** Waits until every started workflow has finished its first task (planned and gone to sleep). */
  const settle = async (ids: string[]) => {
    for (const id of ids.slice(-20)) {
      for (let i = 0; i < 600; i++) {
        const history = await client.workflow.getHandle(invoiceWorkflowId(id)).fetchHistory();
        if ((history.events ?? []).some((event) => event.timerStartedEventAttributes)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const t0 = Date.now();
  await startBatch(invoiceIds.slice(0, batch));
  await settle(invoiceIds.slice(0, batch));
  const firstRss = rssMiB(workerPid);
  const firstTasks = (
    await Promise.all(
      invoiceIds.slice(0, Math.min(sample, batch)).map((id) => taskDurations(client, invoiceWorkflowId(id))),
    )
  ).flat();
  let peakRss = firstRss;
  for (let from = batch; from < total; from += batch) {
    const ids = invoiceIds.slice(from, from + batch);
    await startBatch(ids);
    await settle(ids);
    peakRss = Math.max(peakRss, rssMiB(workerPid));
    process.stdout.write(`\r${from + ids.length} open, worker RSS ${rssMiB(workerPid).toFixed(0)} MiB   `);
  }
  process.stdout.write('\n');
  const lastTasks = (
    await Promise.all(invoiceIds.slice(-sample).map((id) => taskDurations(client, invoiceWorkflowId(id))))
  ).flat();
  // With every workflow open, wake a sample of them (a signal re-reads the invoice and re-plans): the
  // task runs on a full cache, or replays the history if the workflow was evicted.
  const poked = Array.from(
    { length: sample },
    (_, i) => invoiceIds[Math.floor((i * total) / sample)] as string,
  );
  const pokeAt = Date.now();
  await Promise.all(
    poked.map((id) => client.workflow.getHandle(invoiceWorkflowId(id)).signal(invoiceChangedSignal)),
  );
  await new Promise((r) => setTimeout(r, 5000));
  const pokeTasks = (
    await Promise.all(poked.map((id) => taskDurations(client, invoiceWorkflowId(id), pokeAt)))
  ).flat();
  const endRss = rssMiB(workerPid);
  peakRss = Math.max(peakRss, endRss);
  const alive = worker.exitCode === null;

  const row = (name: string, values: number[]) =>
    `${name.padEnd(34)} ${String(values.length).padStart(6)} ${percentile(values, 50).toFixed(0).padStart(6)} ${percentile(values, 99).toFixed(0).padStart(6)}`;
  console.log(
    `\nworkflow capacity: ${total} open invoice workflows on one worker (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
  console.log(
    `worker alive at the end: ${alive ? 'yes' : 'NO'}; cache ${process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 'default'} workflows`,
  );
  console.log(
    `worker RSS (MiB): idle ${idleRss.toFixed(0)}, first ${batch} open ${firstRss.toFixed(0)}, peak ${peakRss.toFixed(0)}, end ${endRss.toFixed(0)}`,
  );
  console.log(`per open workflow: ${(((endRss - idleRss) * 1024) / total).toFixed(0)} KiB`);
  console.log(
    `${'workflow tasks (ms)'.padEnd(34)} ${'tasks'.padStart(6)} ${'p50'.padStart(6)} ${'p99'.padStart(6)}`,
  );
  console.log(row(`first ${batch} (baseline)`, firstTasks));
  console.log(row(`last started (${total} open)`, lastTasks));
  console.log(row(`signalled with ${total} open`, pokeTasks));
  const base = percentile(firstTasks, 99);
  console.log(
    `ratios to the baseline: p99 last ${(percentile(lastTasks, 99) / base).toFixed(2)}, p99 signalled ${(percentile(pokeTasks, 99) / base).toFixed(2)}; RSS end / first batch ${(endRss / firstRss).toFixed(2)}`,
  );
} finally {
  finished = true;
  stopAll();
  await connection.close();
  await database.drop();
}

/** `pnpm … start` runs the worker under a few wrappers: find the node process that is the worker. */
async function findWorkerPid(rootPid: number): Promise<number> {
  const tree = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss), args: args.join(' ') };
    });
  const descendants = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of tree) {
      if (descendants.has(p.ppid) && !descendants.has(p.pid)) {
        descendants.add(p.pid);
        grew = true;
      }
    }
  }
  const candidates = tree.filter((p) => descendants.has(p.pid) && /node/.test(p.args));
  const worker = candidates.sort((a, b) => b.rss - a.rss)[0];
  if (!worker) throw new Error('worker process not found');
  return worker.pid;
}
