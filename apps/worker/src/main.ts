import { createDb, logTransactionRetries } from '@settle/db';
import { createLogger } from '@settle/logging';
import { createGoCardlessGateway, createStripeClient, ensureReconciliationSchedule } from '@settle/payments';
import { ensureInvoiceWorkflowSweepSchedule, triggerInvoiceWorkflowSweep } from '@settle/workflows';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createReminderWorker, createSenders, workerTuning } from './create-worker';
import { env } from './env';

const logger = createLogger('worker', env.LOG_LEVEL);
logTransactionRetries(logger);
if (env.NODE_ENV === 'production' && !env.WORKER_WORKFLOW_BUNDLE) {
  logger.fatal(
    'WORKER_WORKFLOW_BUNDLE: production workers load a prebuilt workflow bundle (pnpm --filter @settle/worker build:workflows)',
  );
  process.exit(78);
}

const db = createDb({
  connectionString: env.DATABASE_URL,
  maxConnections: env.DATABASE_POOL_SIZE,
  applicationName: 'worker',
});
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const senders = createSenders(env, logger);
const tuning = workerTuning(env);
const worker = await createReminderWorker({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  db,
  logger,
  workflowBundlePath: env.WORKER_WORKFLOW_BUNDLE,
  payments: {
    stripe: createStripeClient({ secretKey: env.STRIPE_SECRET_KEY, apiBaseUrl: env.STRIPE_API_BASE_URL }),
    gocardless: env.GOCARDLESS_ACCESS_TOKEN
      ? createGoCardlessGateway({
          accessToken: env.GOCARDLESS_ACCESS_TOKEN,
          environment: env.GOCARDLESS_ENVIRONMENT,
        })
      : null,
  },
  activityDeps: {
    ...senders,
    portalBaseUrl: env.PORTAL_BASE_URL,
  },
  extra: tuning,
});

// Missed webhooks are found by the reconciliation schedule; creating it is idempotent.
const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
const schedule = await ensureReconciliationSchedule(client, { taskQueue: env.TEMPORAL_TASK_QUEUE });
// Open invoices without a running workflow (created while Temporal was down) are found by the sweep:
// on its schedule, and once now, since this worker may be the first to run after an outage.
const sweep = await ensureInvoiceWorkflowSweepSchedule(client, {
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  everyMinutes: env.INVOICE_WORKFLOW_SWEEP_MINUTES,
});
await triggerInvoiceWorkflowSweep(client).catch((error: unknown) =>
  logger.warn({ err: error }, 'start-up invoice workflow sweep not triggered; the schedule runs it'),
);

logger.info(
  {
    reconciliation: schedule,
    invoiceWorkflowSweep: { schedule: sweep, everyMinutes: env.INVOICE_WORKFLOW_SWEEP_MINUTES },
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    tuning,
    temporal: env.TEMPORAL_ADDRESS,
    email: senders.email.provider,
    sms: senders.sms.provider,
  },
  'worker ready',
);
try {
  // Runs until SIGINT/SIGTERM, then finishes in-flight activities before returning.
  await worker.run();
} finally {
  await connection.close();
  await db.destroy();
}
