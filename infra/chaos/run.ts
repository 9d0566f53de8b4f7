import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, paymentsEnv } from '@settle/config';
import { createDb, migrateToLatest, sql } from '@settle/db';
import { Client, Connection } from '@temporalio/client';
import { type EventDeliveryState, formatReport, runChecks, watchPaidInvoices } from './checks';
import { createManagedProcess, killAllChildren, type ManagedProcess } from './processes';
import { startProviderFake } from './provider-fake';
import { createRandom, type Random } from './random';
import {
  type ChaosInvoice,
  createTenant,
  customerImportRows,
  invoiceImportRows,
  planScenario,
  type Scenario,
  signedDelivery,
  startFlowAttempt,
} from './scenario';

/**
 * `bash infra/settle.sh chaos [--small] [--invoices N] [--seed S] [--minutes M]`: the fault-injection
 * suite. Runs the real stack (PostgreSQL, the Temporal dev server on a data file, the worker and the
 * API as separate processes) against a provider fake, feeds invoices through the import API and
 * signed provider events through the webhooks while it kills the worker and the API (`kill -9`),
 * restarts Temporal and terminates database backends; then waits for quiescence and checks every
 * promise from the database and the fake's own log. Prints a table and
 * `lost N, doubled N, late N, wrong balance N`; exits 1 unless all are 0 (2 if the run itself broke).
 * See docs/chaos.md.
 */

export interface ChaosOptions {
  invoices: number;
  customers: number;
  seed: number;
  /** The whole run, set-up to report, stops waiting for quiescence when this is reached. */
  minutes: number;
  /** How long faults are injected, from the first import. */
  chaosMinutes: number;
  workerKills: number;
  apiKills: number;
  temporalRestarts: number;
  /** Seconds between `pg_terminate_backend` rounds (random within the range). */
  pgTerminateEverySeconds: [number, number];
  /** Minutes until the last invoices' reminders fall due. */
  reminderLeadMinutes: number;
  ports: { api: number; temporal: number };
  databaseUrl: string;
  temporalCliPath: string;
  log: (line: string) => void;
}

export interface ChaosSummary {
  seed: number;
  durationSeconds: number;
  totals: { lost: number; doubled: number; late: number; wrongBalance: number };
  report: string;
  passed: boolean;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, '.data/chaos');
const CHAOS_DATABASE = 'settle_chaos';
const SUITE_APPLICATION = 'chaos-suite';
const IMPORT_BATCH = 50;
/** The worker's default sweep interval (INVOICE_WORKFLOW_SWEEP_MINUTES) plus a minute. */
const SWEEP_GRACE_MS = 6 * 60_000;

/** The small variant (100 invoices, a few faults, a few minutes): meant for the README's test command. */
export function smallOptions(base: Pick<ChaosOptions, 'databaseUrl' | 'temporalCliPath'>): ChaosOptions {
  return {
    invoices: 100,
    customers: 20,
    seed: Date.now() % 1_000_000,
    minutes: 15,
    chaosMinutes: 2,
    workerKills: 3,
    apiKills: 3,
    temporalRestarts: 1,
    pgTerminateEverySeconds: [15, 30],
    reminderLeadMinutes: 1.5,
    ports: { api: 4100, temporal: 7300 },
    log: (line) => console.log(line),
    ...base,
  };
}

export function fullOptions(base: Pick<ChaosOptions, 'databaseUrl' | 'temporalCliPath'>): ChaosOptions {
  return {
    ...smallOptions(base),
    invoices: 1_000,
    customers: 200,
    minutes: 50,
    chaosMinutes: 15,
    workerKills: 24,
    apiKills: 24,
    temporalRestarts: 2,
    pgTerminateEverySeconds: [10, 30],
    reminderLeadMinutes: 10,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(new Error(`port ${port} (${what}) is in use: is another chaos run going?`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree()));
  });
}

function databaseUrlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh `settle_chaos` database, migrated. */
async function recreateDatabase(adminUrl: string, url: string): Promise<void> {
  const admin = createDb({
    connectionString: adminUrl,
    maxConnections: 1,
    applicationName: SUITE_APPLICATION,
  });
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(CHAOS_DATABASE)} WITH (FORCE)`.execute(admin);
    await sql`CREATE DATABASE ${sql.id(CHAOS_DATABASE)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const db = createDb({ connectionString: url, maxConnections: 1, applicationName: SUITE_APPLICATION });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

function runOnce(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    child.once('exit', (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} failed:\n${output}`)),
    );
  });
}

async function temporalAnswers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await connection.close();
  }
}

/** The invoice workflows' latest run status (`RUNNING`, `COMPLETED`…), by workflow id. */
async function invoiceWorkflowStatuses(address: string): Promise<Map<string, string>> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    const client = new Client({ connection });
    const latest = new Map<string, { start: number; status: string }>();
    for await (const run of client.workflow.list({ query: `WorkflowType = 'invoiceReminderWorkflow'` })) {
      const start = run.startTime.getTime();
      const known = latest.get(run.workflowId);
      if (!known || start >= known.start) latest.set(run.workflowId, { start, status: run.status.name });
    }
    return new Map([...latest].map(([id, { status }]) => [id, status]));
  } finally {
    await connection.close();
  }
}

/**
 * Running invoice workflows whose next step is deferred to the customer's next sending day (the
 * day's reminder went out without this invoice: one per customer, channel and day). Their reminder
 * is not lost, only beyond the run: the pending `executeStep` retries with a ReminderDeferredError.
 */
async function deferredInvoiceWorkflows(address: string, ids: Iterable<string>): Promise<Set<string>> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  const deferred = new Set<string>();
  try {
    const client = new Client({ connection });
    for (const id of ids) {
      const described = await client.workflow
        .getHandle(id)
        .describe()
        .catch(() => null);
      const pending = described?.raw.pendingActivities ?? [];
      if (pending.some((activity) => /ReminderDeferred|waits for/.test(activity.lastFailure?.message ?? '')))
        deferred.add(id);
    }
    return deferred;
  } finally {
    await connection.close();
  }
}

async function countRunning(address: string, type: string): Promise<number> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    const client = new Client({ connection });
    const { count } = await client.workflow.count(`WorkflowType = '${type}' AND ExecutionStatus = 'Running'`);
    return count;
  } finally {
    await connection.close();
  }
}

interface Delivery {
  state: EventDeliveryState;
  body: string;
  dueAt: number;
  /** Deliveries still to make after this one (the provider's redeliveries). */
  remaining: number;
  failures: number;
}

/**
 * The providers' side of the webhooks: delivers each event when due, retries every failure with
 * backoff until it is acknowledged (as Stripe and GoCardless do), then delivers it again 0–2 more
 * times at random later moments.
 */
function createWebhookSender(options: {
  apiUrl: string;
  random: Random;
  secrets: { stripe: string; gocardless: string };
  concurrency: number;
}) {
  const queue: Delivery[] = [];
  const states: EventDeliveryState[] = [];
  const problems: string[] = [];
  const answers = new Map<string, number>();
  let inFlight = 0;
  let stopped = false;

  const deliver = async (delivery: Delivery) => {
    const { path, headers } = signedDelivery(delivery.state.provider, delivery.body, options.secrets);
    delivery.state.attempts++;
    let status = 0;
    try {
      const response = await fetch(`${options.apiUrl}${path}`, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.timeout(15_000),
      });
      status = response.status;
      await response.text().catch(() => '');
    } catch {
      status = 0;
    }
    answers.set(String(status || 'no answer'), (answers.get(String(status || 'no answer')) ?? 0) + 1);
    if (status >= 200 && status < 300) {
      delivery.state.acknowledged++;
      if (delivery.remaining > 0) {
        queue.push({
          ...delivery,
          remaining: delivery.remaining - 1,
          failures: 0,
          dueAt: Date.now() + options.random.int(2_000, 90_000),
        });
      }
      return;
    }
    delivery.failures++;
    if (status >= 400 && status < 500 && status !== 429) {
      problems.push(`${delivery.state.eventId} answered ${status}`);
      if (delivery.failures >= 3) return;
    }
    queue.push({
      ...delivery,
      dueAt: Date.now() + Math.min(15_000, 500 * 2 ** Math.min(delivery.failures, 5)),
    });
  };

  const loop = async () => {
    while (!stopped) {
      const now = Date.now();
      queue.sort((a, b) => a.dueAt - b.dueAt);
      while (inFlight < options.concurrency && queue[0] && queue[0].dueAt <= now) {
        const next = queue.shift() as Delivery;
        inFlight++;
        void deliver(next).finally(() => {
          inFlight--;
        });
      }
      await sleep(100);
    }
  };
  const running = loop();
  return {
    states,
    problems,
    answers,
    schedule(state: EventDeliveryState, body: string, dueAt: number, deliveries: number) {
      states.push(state);
      queue.push({ state, body, dueAt, remaining: deliveries - 1, failures: 0 });
    },
    /** Nothing queued or in flight: every delivery (and redelivery) was made. */
    idle: () => queue.length === 0 && inFlight === 0,
    pending: () => queue.length + inFlight,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/** An ERP's POST of a JSON import: retried on transport errors, 429 and 5xx until it gets an answer. */
async function postImport(
  apiUrl: string,
  apiKey: string,
  path: string,
  rows: unknown[],
  deadline: number,
): Promise<Record<string, unknown>> {
  let attempt = 0;
  for (;;) {
    attempt++;
    let status = 0;
    let text = '';
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(rows),
        signal: AbortSignal.timeout(120_000),
      });
      status = response.status;
      text = await response.text();
    } catch {}
    if (status === 200) return JSON.parse(text) as Record<string, unknown>;
    if (status !== 0 && status !== 429 && status < 500)
      throw new Error(`${path} answered ${status}: ${text.slice(0, 500)}`);
    if (Date.now() > deadline) throw new Error(`${path}: no answer after ${attempt} attempts`);
    await sleep(Math.min(10_000, 500 * attempt));
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const { log } = options;
  const started = Date.now();
  const deadline = started + options.minutes * 60_000;
  const random = createRandom(options.seed);
  const chaosUrl = databaseUrlFor(options.databaseUrl, CHAOS_DATABASE);
  const temporalAddress = `127.0.0.1:${options.ports.temporal}`;
  const apiUrl = `http://127.0.0.1:${options.ports.api}`;
  const secrets = (() => {
    const config = loadConfig(paymentsEnv, {});
    return { stripe: config.STRIPE_WEBHOOK_SECRET, gocardless: config.GOCARDLESS_WEBHOOK_SECRET };
  })();
  const say = (line: string) =>
    log(
      `\x1b[1;35m[chaos]\x1b[0m ${new Date().toISOString().slice(11, 19)} +${Math.round((Date.now() - started) / 1000)}s ${line}`,
    );

  say(
    `seed ${options.seed}: ${options.invoices} invoices for ${options.customers} customers; ${options.chaosMinutes} min of faults (worker kills ${options.workerKills}, API kills ${options.apiKills}, Temporal restarts ${options.temporalRestarts}); run limit ${options.minutes} min`,
  );
  await assertPortFree(options.ports.api, 'chaos API');
  await assertPortFree(options.ports.temporal, 'chaos Temporal');
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(join(DATA, 'logs'), { recursive: true });

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => {});
    cleanups.length = 0;
  };
  try {
    say(`database ${CHAOS_DATABASE}: recreating and migrating`);
    await recreateDatabase(options.databaseUrl, chaosUrl);
    const bundle = join(DATA, 'workflow-bundle.js');
    say('building the workflow bundle once (the worker restarts often)');
    await runOnce('pnpm', ['--silent', '--filter', '@settle/worker', 'build:workflows', bundle], ROOT);

    const fake = await startProviderFake({
      random: random.fork('fake'),
      logFile: join(DATA, 'provider-log.jsonl'),
    });
    cleanups.push(() => fake.close());
    say(`provider fake (Resend and Twilio) on ${fake.baseUrl}`);

    const scenario: Scenario = planScenario({
      random: random.fork('scenario'),
      invoices: options.invoices,
      customers: options.customers,
      reminderLeadMinutes: options.reminderLeadMinutes,
      eventSpreadMs: options.reminderLeadMinutes * 60_000 * 1.2,
    });
    say(
      `customers in ${scenario.timeZone} (local day ${scenario.today}); send window ${scenario.policy.sendWindow.start}–${scenario.policy.sendWindow.end}; ${scenario.events.length} provider events for ${scenario.invoices.filter((i) => i.flow).length} invoices`,
    );

    const restartDelay = random.fork('restart');
    const temporal = createManagedProcess({
      name: 'temporal',
      command: options.temporalCliPath,
      args: [
        'server',
        'start-dev',
        '--db-filename',
        join(DATA, 'temporal.sqlite'),
        '--ip',
        '127.0.0.1',
        '--port',
        String(options.ports.temporal),
        '--headless',
        '--log-level',
        'error',
      ],
      cwd: ROOT,
      env: {},
      logFile: join(DATA, 'logs/temporal.log'),
      ready: () => temporalAnswers(temporalAddress),
      restartDelayMs: () => 1_000,
    });
    const common = {
      DATABASE_URL: chaosUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      PORTAL_BASE_URL: 'http://localhost:3100',
    };
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const worker = createManagedProcess({
      name: 'worker',
      command: tsx,
      args: ['src/main.ts'],
      cwd: join(ROOT, 'apps/worker'),
      env: {
        ...common,
        WORKER_WORKFLOW_BUNDLE: bundle,
        RESEND_API_KEY: 're_chaos_local_fake',
        RESEND_BASE_URL: fake.baseUrl,
        TWILIO_ACCOUNT_SID: 'ACchaos00000000000000000000000000',
        TWILIO_AUTH_TOKEN: 'chaos-token',
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: fake.baseUrl,
      },
      logFile: join(DATA, 'logs/worker.log'),
      ready: async (output) => output().includes('worker ready'),
      restartDelayMs: () => restartDelay.int(500, 3_000),
    });
    const api = createManagedProcess({
      name: 'api',
      command: tsx,
      args: ['src/main.ts'],
      cwd: join(ROOT, 'apps/api'),
      env: {
        ...common,
        API_PORT: String(options.ports.api),
        API_HOST: '127.0.0.1',
        MIGRATE_ON_START: 'false',
        API_RATE_LIMIT_PER_MINUTE: '1000000',
      },
      logFile: join(DATA, 'logs/api.log'),
      ready: async () => {
        await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
        return true;
      },
      restartDelayMs: () => restartDelay.int(500, 3_000),
    });
    cleanups.push(() => temporal.stop());
    cleanups.push(() => worker.stop());
    cleanups.push(() => api.stop());

    say('starting Temporal, the worker and the API');
    await temporal.start(90_000);
    await Promise.all([worker.start(180_000), api.start(90_000)]);

    const db = createDb({
      connectionString: chaosUrl,
      maxConnections: 4,
      applicationName: SUITE_APPLICATION,
    });
    cleanups.push(() => db.destroy());
    const tenant = await createTenant(db, scenario);
    const paid = watchPaidInvoices(db, tenant.organizationId);
    cleanups.push(() => paid.stop());

    const sender = createWebhookSender({
      apiUrl,
      random: random.fork('webhooks'),
      secrets,
      concurrency: 6,
    });
    cleanups.push(() => sender.stop());

    const customersResult = await postImport(
      apiUrl,
      tenant.apiKey,
      '/v1/imports/customers',
      customerImportRows(scenario),
      deadline,
    );
    say(`customers imported: ${JSON.stringify(customersResult)}`);

    // --- faults, from now for chaosMinutes ---------------------------------------------------
    const chaosStart = Date.now();
    const chaosEnd = chaosStart + options.chaosMinutes * 60_000;
    const faults = random.fork('faults');
    const faultLog: string[] = [];
    const noteFault = (line: string) => {
      faultLog.push(`${new Date().toISOString()} ${line}`);
    };
    const times = (count: number) =>
      Array.from(
        { length: count },
        () => chaosStart + faults.int(15_000, Math.max(20_000, chaosEnd - chaosStart - 10_000)),
      ).sort((a, b) => a - b);
    const killLoop = async (target: ManagedProcess, at: number[]) => {
      for (const when of at) {
        await sleep(Math.max(0, when - Date.now()));
        // A kill counts only against a serving process: wait for it to be back first.
        await target.waitReady(180_000).catch(() => {});
        if (target.kill9()) noteFault(`kill -9 ${target.name}`);
      }
    };
    const temporalLoop = async () => {
      for (let i = 1; i <= options.temporalRestarts; i++) {
        await sleep(
          Math.max(
            0,
            chaosStart + ((chaosEnd - chaosStart) * i) / (options.temporalRestarts + 1) - Date.now(),
          ),
        );
        noteFault('temporal stop');
        say('restarting Temporal (same data file)');
        await temporal.stop();
        await sleep(faults.int(2_000, 8_000));
        await temporal.start(90_000);
        noteFault('temporal started');
      }
    };
    const pgTerminations = { rounds: 0, backends: 0 };
    const pgLoop = async () => {
      const [low, high] = options.pgTerminateEverySeconds;
      for (;;) {
        await sleep(faults.int(low, high) * 1_000);
        if (Date.now() > chaosEnd) return;
        const all = faults.chance(0.4);
        const limit = all ? 1000 : faults.int(1, 3);
        try {
          const result = await sql<{ terminated: number }>`
            SELECT count(*)::int AS terminated FROM (
              SELECT pg_terminate_backend(pid) FROM (
                SELECT pid FROM pg_stat_activity
                WHERE datname = ${CHAOS_DATABASE} AND pid <> pg_backend_pid()
                  AND application_name IN ('worker', 'api')
                ORDER BY random() LIMIT ${limit}
              ) chosen
            ) done`.execute(db);
          const terminated = result.rows[0]?.terminated ?? 0;
          pgTerminations.rounds++;
          pgTerminations.backends += terminated;
          noteFault(`pg_terminate_backend x${terminated}`);
        } catch {}
      }
    };
    const faultsDone = Promise.all([
      killLoop(worker, times(options.workerKills)),
      killLoop(api, times(options.apiKills)),
      temporalLoop(),
      pgLoop(),
    ]);

    // --- the ERP imports invoices in batches; each paying debtor starts a payment ----------------
    let notStartedAtImport = 0;
    const progress = setInterval(() => {
      say(
        `progress: worker kills ${worker.kills}, API kills ${api.kills}, pg terminations ${pgTerminations.backends}; webhook deliveries pending ${sender.pending()}; provider accepted ${fake.accepted.length}`,
      );
    }, 30_000);
    cleanups.push(async () => clearInterval(progress));
    const batches: ChaosInvoice[][] = [];
    for (let i = 0; i < scenario.invoices.length; i += IMPORT_BATCH)
      batches.push(scenario.invoices.slice(i, i + IMPORT_BATCH));
    const eventsByInvoice = new Map<string, Scenario['events']>();
    for (const event of scenario.events)
      eventsByInvoice.set(event.invoiceNumber, [...(eventsByInvoice.get(event.invoiceNumber) ?? []), event]);
    for (const batch of batches) {
      const result = (await postImport(
        apiUrl,
        tenant.apiKey,
        '/v1/imports/invoices',
        invoiceImportRows(scenario, batch),
        deadline,
      )) as { workflows?: { notStarted?: number } };
      notStartedAtImport += result.workflows?.notStarted ?? 0;
      const importedAt = Date.now();
      const rows = await db
        .selectFrom('invoices')
        .select(['id', 'number', 'customer_id'])
        .where('organization_id', '=', tenant.organizationId)
        .where(
          'number',
          'in',
          batch.map((invoice) => invoice.number),
        )
        .execute();
      for (const row of rows) {
        const invoice = batch.find((i) => i.number === row.number) as ChaosInvoice;
        invoice.id = row.id;
        invoice.customerId = row.customer_id;
        if (!invoice.flow) continue;
        const attemptId = await startFlowAttempt(db, {
          organizationId: tenant.organizationId,
          invoice,
          portalBaseUrl: 'http://localhost:3100',
        });
        for (const event of eventsByInvoice.get(invoice.number) ?? []) {
          sender.schedule(
            {
              provider: event.provider,
              eventId: event.eventId,
              invoiceNumber: event.invoiceNumber,
              type: event.type,
              acknowledged: 0,
              attempts: 0,
            },
            event.body(attemptId),
            importedAt + event.offsetMs,
            event.deliveries,
          );
        }
      }
    }
    say(`invoices imported (${notStartedAtImport} workflows not started at import: Temporal was down)`);

    await faultsDone;
    say(
      `faults over: worker kills ${worker.kills}, API kills ${api.kills}, Temporal restarts ${options.temporalRestarts}, pg_terminate_backend ${pgTerminations.backends} backends in ${pgTerminations.rounds} rounds`,
    );
    await Promise.all([worker.waitReady(180_000), api.waitReady(120_000), temporal.waitReady(60_000)]);

    // --- quiescence ----------------------------------------------------------------------------
    // The outage is over: the providers answer normally again, and what is left is Settle's own retry
    // backoff (up to 10 minutes between attempts of one message).
    fake.setFaults(null);
    say('waiting for quiescence (faults off; every event applied, nothing pending, the provider quiet)');
    let stableSince = 0;
    let lastStatus = '';
    let settledOnce = 0;
    /** When the other conditions first held: the sweep's grace period counts from then. */
    const firstSettledAt = (now: number) => {
      settledOnce ||= now;
      return settledOnce;
    };
    for (;;) {
      const now = Date.now();
      if (now > deadline) {
        say(`run limit reached before quiescence: ${lastStatus}`);
        break;
      }
      try {
        const unapplied = await db
          .selectFrom('webhook_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('processed_at', 'is', null)
          .executeTakeFirstOrThrow();
        const pendingMessages = await db
          .selectFrom('communications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organization_id', '=', tenant.organizationId)
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow();
        const runningPayments = await countRunning(temporalAddress, 'paymentEventWorkflow');
        const quietFor = now - Math.max(fake.lastAcceptedAt(), chaosEnd);
        lastStatus = `deliveries pending ${sender.pending()}, events unapplied ${Number(unapplied.n)}, payment workflows running ${runningPayments}, messages pending ${Number(pendingMessages.n)}, provider quiet ${Math.round(quietFor / 1000)}s`;
        let settled =
          sender.idle() &&
          Number(unapplied.n) === 0 &&
          Number(pendingMessages.n) === 0 &&
          runningPayments === 0 &&
          quietFor > 30_000;
        if (settled) {
          // Settle's own sweep (every INVOICE_WORKFLOW_SWEEP_MINUTES) starts the workflow of an open
          // invoice that has none: give it that long before counting the invoice's reminders as lost.
          const statuses = await invoiceWorkflowStatuses(temporalAddress);
          const open = await db
            .selectFrom('invoices')
            .select('id')
            .where('organization_id', '=', tenant.organizationId)
            .where('status', '=', 'open')
            .execute();
          const orphans = open.filter((i) => statuses.get(`invoice-${i.id}`) !== 'RUNNING').length;
          if (orphans > 0 && now - firstSettledAt(now) < SWEEP_GRACE_MS) {
            settled = false;
            lastStatus += `, open invoices without a running workflow ${orphans} (waiting for the sweep)`;
          }
        }
        if (settled) {
          stableSince ||= now;
          if (now - stableSince > 15_000) break;
        } else stableSince = 0;
      } catch (error) {
        lastStatus = `not answering: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (Math.floor(now / 30_000) !== Math.floor((now - 5_000) / 30_000)) say(lastStatus);
      await sleep(5_000);
    }
    const quiescentAt = Date.now();

    // --- the checks ----------------------------------------------------------------------------
    await paid.stop();
    const workflowStatus = await invoiceWorkflowStatuses(temporalAddress);
    const deferred = await deferredInvoiceWorkflows(
      temporalAddress,
      [...workflowStatus].filter(([, status]) => status === 'RUNNING').map(([id]) => id),
    );
    const result = await runChecks({
      db,
      organizationId: tenant.organizationId,
      scenario,
      accepted: fake.accepted,
      events: sender.states,
      paidIntervals: paid.intervals,
      workflowStatus,
      deferred,
    });
    const answerSummary = (answers: Map<string, number>) =>
      [...answers]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, n]) => `${kind}: ${n}`)
        .join(', ');
    result.figures.push(
      ['seed', options.seed],
      ['duration (set-up to quiescence)', `${Math.round((quiescentAt - started) / 1000)} s`],
      ['kill -9 worker / API (effective)', `${worker.kills} / ${api.kills}`],
      ['worker / API / Temporal starts', `${worker.starts} / ${api.starts} / ${temporal.starts}`],
      [
        'exits not caused by a kill, e.g. while Temporal was down (worker / API / Temporal)',
        `${worker.crashes.length} / ${api.crashes.length} / ${temporal.crashes.length}`,
      ],
      ['Temporal restarts', options.temporalRestarts],
      ['pg_terminate_backend (backends / rounds)', `${pgTerminations.backends} / ${pgTerminations.rounds}`],
      ['workflows not started at import (Temporal down)', notStartedAtImport],
      ['webhook answers', answerSummary(sender.answers)],
      ['provider fake answers', answerSummary(fake.answers)],
    );
    if (sender.problems.length)
      result.figures.push(['webhook problems (first)', sender.problems.slice(0, 3).join('; ')]);
    if (fake.problems.length)
      result.figures.push(['provider fake problems (first)', fake.problems.slice(0, 3).join('; ')]);
    const report = formatReport(result);
    writeFileSync(
      join(DATA, 'report.json'),
      JSON.stringify(
        {
          seed: options.seed,
          options: { ...options, log: undefined, databaseUrl: undefined },
          ...result,
          faults: faultLog,
        },
        null,
        2,
      ),
    );
    const { lost, doubled, late, wrongBalance } = result.totals;
    return {
      seed: options.seed,
      durationSeconds: Math.round((quiescentAt - started) / 1000),
      totals: result.totals,
      report,
      passed: lost + doubled + late + wrongBalance === 0,
    };
  } finally {
    say('stopping every process it started');
    await cleanup();
  }
}

function parseArguments(argv: string[]): ChaosOptions {
  const temporalCliPath = process.env.TEMPORAL_CLI_PATH;
  if (!temporalCliPath) {
    console.error(
      'TEMPORAL_CLI_PATH: not set (run through infra/settle.sh chaos, which builds the Temporal CLI)',
    );
    process.exit(78);
  }
  const base = {
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://settle:settle@127.0.0.1:5432/settle',
    temporalCliPath,
  };
  const options = argv.includes('--small') ? smallOptions(base) : fullOptions(base);
  const value = (name: string): number | undefined => {
    const index = argv.indexOf(name);
    if (index < 0) return undefined;
    const parsed = Number(argv[index + 1]);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      console.error(`${name}: expected a positive number (got ${JSON.stringify(argv[index + 1] ?? '')})`);
      process.exit(64);
    }
    return parsed;
  };
  const known = new Set(['--small', '--invoices', '--seed', '--minutes']);
  for (const [i, arg] of argv.entries()) {
    if (arg.startsWith('--') && !known.has(arg)) {
      console.error(`unknown option ${arg}; use --small, --invoices N, --seed S, --minutes M`);
      process.exit(64);
    }
    if (!arg.startsWith('--') && !known.has(argv[i - 1] ?? '')) {
      console.error(`unexpected argument ${arg}`);
      process.exit(64);
    }
  }
  const invoices = value('--invoices');
  if (invoices !== undefined) {
    options.invoices = Math.floor(invoices);
    options.customers = Math.max(1, Math.round(options.invoices / 5));
  }
  options.seed = value('--seed') ?? options.seed;
  options.minutes = value('--minutes') ?? options.minutes;
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArguments(process.argv.slice(2));
  process.on('exit', killAllChildren);
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      console.error(`\n[chaos] ${signal}: stopping every process it started`);
      killAllChildren();
      process.exit(130);
    });
  }
  try {
    const summary = await runChaos(options);
    console.log(summary.report);
    console.log(
      `\nseed ${summary.seed}, ${summary.durationSeconds} s; details in ${join(DATA, 'report.json')}, logs in ${join(DATA, 'logs')}`,
    );
    process.exit(summary.passed ? 0 : 1);
  } catch (error) {
    console.error(
      `[chaos] the run itself failed (seed ${options.seed}):`,
      error instanceof Error ? error.stack : error,
    );
    process.exit(2);
  }
}
