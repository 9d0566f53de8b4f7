import { databaseEnv, loadConfig } from '@settle/config';
import { saveReminderPolicy } from '@settle/core';
import type { Customer, Db, Organization } from '@settle/db';
import { insertInvoice, upsertTemplate } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { DEFAULT_TEMPLATES, type ReminderPolicy } from '@settle/domain';
import { createLogger } from '@settle/logging';
import type { GoCardlessGateway } from '@settle/payments';
import { messageWorkflowId } from '@settle/workflows';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import { createPaymentActivities } from '../activities/payments';
import { createSweepActivities } from '../activities/sweep';
import type { EmailMessage, EmailSender, SendResult, SmsSender } from '../providers/types';
import { workflowBundleOptions } from '../workflow-bundle';

// Worker state changes at INFO would drown the test output; warnings and errors still show.
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
});

/** Records what providers were asked to send; `reject` makes the next sends fail permanently. */
export class RecordingSender implements EmailSender, SmsSender {
  readonly provider = 'outbox' as const;
  readonly sent: { idempotencyKey: string; to: string; text: string; subject?: string }[] = [];
  rejectWith: string | null = null;

  async send(
    message: EmailMessage | { idempotencyKey: string; to: string; text: string },
  ): Promise<SendResult> {
    if (this.rejectWith) return { ok: false, error: this.rejectWith };
    this.sent.push({
      idempotencyKey: message.idempotencyKey,
      to: message.to,
      text: message.text,
      ...('subject' in message ? { subject: message.subject } : {}),
    });
    return { ok: true, providerMessageId: `msg_${this.sent.length}` };
  }
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundled once per test file: bundling is the slow part of starting a worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  return bundle;
}

function requiredPath(variable: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH'): string {
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is not set: run the tests through infra/settle.sh test`);
  return path;
}

/** A real Temporal dev server, started from the CLI that the set-up built. */
export function createLocalEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: requiredPath('TEMPORAL_CLI_PATH') },
      extraArgs: ['--log-level', 'error'],
    },
  });
}

/** Temporal's time-skipping test server: weeks of timers pass in moments, so real policies are tested. */
export function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: requiredPath('TEMPORAL_TEST_SERVER_PATH') } },
  });
}

type Activities = ReturnType<typeof createActivities>;
/** Replacement activities: each receives the real one's implementation and its input. */
export type ActivityOverrides = {
  [K in keyof Activities]?: (
    real: Activities[K],
    ...args: Parameters<Activities[K]>
  ) => ReturnType<Activities[K]>;
};

export interface Harness {
  db: Db;
  testDb: TestDatabase;
  env: TestWorkflowEnvironment;
  email: RecordingSender;
  sms: RecordingSender;
  taskQueue: string;
  /**
   * Runs `fn` while a worker polls the task queue; a new worker each call, as after a restart.
   * `activities` replaces some of the real activities (each given the real one), to inject a fault
   * or an event at an exact moment.
   */
  withWorker<T>(fn: () => Promise<T>, options?: { activities?: ActivityOverrides }): Promise<T>;
  close(): Promise<void>;
}

/**
 * Waits for the delivery workflows of messages still pending (a thank-you scheduled for the next
 * send window outlives its invoice's workflow as an abandoned child). On the time-skipping server a
 * sleeping workflow with no worker would hold the clock for the next test, so it finishes here.
 * The Java test server also leaks one time-skipping lock per child workflow started, after which
 * `env.sleep` runs in real time (temporalio/sdk-java#2392, sdk-typescript#1101); giving that lock
 * back once the child has finished keeps later tests skipping.
 */
async function awaitScheduledDeliveries(db: Db, env: TestWorkflowEnvironment): Promise<void> {
  const pending = await db
    .selectFrom('communications')
    .select('id')
    .where('status', '=', 'pending')
    .execute();
  for (const { id } of pending) {
    const handle = env.client.workflow.getHandle(messageWorkflowId(id));
    const started = await handle.describe().catch(() => null);
    // No delivery workflow: a step's own message, delivered by its activity.
    if (!started) continue;
    await handle.result();
    if (started.parentExecution) await env.connection.testService?.unlockTimeSkipping({});
  }
}

export async function createHarness(options: {
  server: 'local' | 'time-skipping';
  /** For reconciliation tests: a stand-in for GoCardless's API. */
  gocardless?: GoCardlessGateway;
}): Promise<Harness> {
  const { DATABASE_URL } = loadConfig(databaseEnv);
  const [testDb, env] = await Promise.all([
    createTestDatabase(DATABASE_URL),
    options.server === 'local' ? createLocalEnvironment() : createTimeSkippingEnvironment(),
  ]);
  const email = new RecordingSender();
  const sms = new RecordingSender();
  const taskQueue = `reminders-${Math.random().toString(36).slice(2)}`;
  const logger = createLogger('worker-test', 'silent');
  const activities = createActivities({
    db: testDb.db,
    email,
    sms,
    logger,
    portalBaseUrl: 'http://portal.test',
  });
  const paymentActivities = createPaymentActivities({
    db: testDb.db,
    logger,
    stripe: null,
    gocardless: options.gocardless ?? null,
    taskQueue,
  });
  const sweepActivities = createSweepActivities({ db: testDb.db, logger, taskQueue });
  return {
    db: testDb.db,
    testDb,
    env,
    email,
    sms,
    taskQueue,
    async withWorker(fn, { activities: overrides = {} } = {}) {
      const replaced = Object.fromEntries(
        Object.entries(overrides).map(([name, override]) => {
          const real = activities[name as keyof Activities] as (...args: unknown[]) => unknown;
          const wrap = override as (real: unknown, ...args: unknown[]) => unknown;
          return [name, (...args: unknown[]) => wrap(real, ...args)];
        }),
      );
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: { ...activities, ...paymentActivities, ...sweepActivities, ...replaced },
        // No sticky cache: every workflow task replays the history from scratch, as a fresh worker
        // process does (and the time-skipping server does not reroute sticky tasks of a stopped worker).
        maxCachedWorkflows: 0,
      });
      return worker.runUntil(async () => {
        const result = await fn();
        // On the dev server a delivery waits for the window in real time: nothing to settle there.
        if (options.server === 'time-skipping') await awaitScheduledDeliveries(testDb.db, env);
        return result;
      });
    },
    async close() {
      await env.teardown();
      await testDb.drop();
    },
  };
}

/** One tenant with a policy and templates, and an invoice of the given dates. */
export async function seedInvoice(
  db: Db,
  options: {
    policy: ReminderPolicy;
    issueDate: string;
    dueDate: string;
    totalMinor?: number;
    customer?: Partial<Customer>;
  },
): Promise<{ organization: Organization; customer: Customer; invoiceId: string }> {
  const { organization, customer } = await seedTenant(db, {
    customer: { country: 'DE', locale: 'de', time_zone: 'Europe/Berlin', ...options.customer },
  });
  await saveReminderPolicy(db, {
    organizationId: organization.id,
    name: 'Test',
    isDefault: true,
    policy: options.policy,
  });
  for (const template of DEFAULT_TEMPLATES) {
    await upsertTemplate(db, { organization_id: organization.id, ...template });
  }
  const invoice = await insertInvoice(db, {
    organization_id: organization.id,
    customer_id: customer.id,
    number: `INV-${Math.random().toString(36).slice(2, 8)}`,
    currency: 'EUR',
    total_minor: options.totalMinor ?? 125_000,
    issue_date: options.issueDate,
    due_date: options.dueDate,
    lines: [],
  });
  return { organization, customer, invoiceId: invoice.id };
}
