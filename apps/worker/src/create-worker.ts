import type { Db } from '@settle/db';
import type { Logger } from '@settle/logging';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from './activities';
import { createPaymentActivities, type PaymentActivityDeps } from './activities/payments';
import { createSweepActivities } from './activities/sweep';
import { createOutboxEmailSender, createOutboxSmsSender } from './providers/outbox';
import { createResendEmailSender } from './providers/resend-email';
import { createTwilioSmsSender } from './providers/twilio-sms';
import type { EmailSender, SmsSender } from './providers/types';
import { workflowBundleOptions } from './workflow-bundle';

export interface ProviderSettings {
  RESEND_API_KEY?: string | undefined;
  RESEND_BASE_URL?: string | undefined;
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_FROM?: string | undefined;
  TWILIO_BASE_URL?: string | undefined;
  PROVIDER_TIMEOUT_MS?: number | undefined;
}

/** Real providers where keys are set, the local outbox otherwise. */
export function createSenders(
  settings: ProviderSettings,
  logger: Logger,
): { email: EmailSender; sms: SmsSender } {
  const email = settings.RESEND_API_KEY
    ? createResendEmailSender({
        apiKey: settings.RESEND_API_KEY,
        ...(settings.RESEND_BASE_URL ? { baseUrl: settings.RESEND_BASE_URL } : {}),
        ...(settings.PROVIDER_TIMEOUT_MS ? { timeoutMs: settings.PROVIDER_TIMEOUT_MS } : {}),
      })
    : createOutboxEmailSender(logger);
  const sms =
    settings.TWILIO_ACCOUNT_SID && settings.TWILIO_AUTH_TOKEN && settings.TWILIO_FROM
      ? createTwilioSmsSender({
          accountSid: settings.TWILIO_ACCOUNT_SID,
          authToken: settings.TWILIO_AUTH_TOKEN,
          from: settings.TWILIO_FROM,
          ...(settings.TWILIO_BASE_URL ? { baseUrl: settings.TWILIO_BASE_URL } : {}),
          ...(settings.PROVIDER_TIMEOUT_MS ? { timeoutMs: settings.PROVIDER_TIMEOUT_MS } : {}),
        })
      : createOutboxSmsSender(logger);
  return { email, sms };
}

/** The worker's cache and concurrency, from configuration (defaults that fit the workflow thread's heap). */
export function workerTuning(settings: {
  WORKER_MAX_CACHED_WORKFLOWS: number;
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: number;
  WORKER_MAX_CONCURRENT_ACTIVITIES: number;
}): Pick<
  WorkerOptions,
  'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'
> {
  const cache = settings.WORKER_MAX_CACHED_WORKFLOWS;
  const tasks = settings.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS;
  return {
    maxCachedWorkflows: cache,
    // With a cache, Temporal refuses more concurrent tasks than cached workflows.
    maxConcurrentWorkflowTaskExecutions: cache > 0 ? Math.min(tasks, Math.max(cache, 2)) : tasks,
    maxConcurrentActivityTaskExecutions: settings.WORKER_MAX_CONCURRENT_ACTIVITIES,
  };
}

export interface CreateReminderWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  logger: Logger;
  activityDeps: Omit<ActivityDeps, 'db' | 'logger'>;
  /** Provider clients for payment reconciliation; absent or null means that provider is not listed. */
  payments?: Pick<PaymentActivityDeps, 'stripe' | 'gocardless'>;
  /** A prebuilt bundle (production); without it the workflows are bundled at start (development). */
  workflowBundlePath?: string | undefined;
  extra?: Partial<WorkerOptions>;
}

/** Development: the workflows are bundled at start, as the production bundle is built. */
function developmentBundle(): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}

/** The `reminders` worker: the invoice, message, payment and sweep workflows and their activities. Shared by main.ts and tests. */
export function createReminderWorker(options: CreateReminderWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : developmentBundle()),
    activities: {
      ...createActivities({ ...options.activityDeps, db: options.db, logger: options.logger }),
      ...createPaymentActivities({
        db: options.db,
        logger: options.logger,
        stripe: options.payments?.stripe ?? null,
        gocardless: options.payments?.gocardless ?? null,
        taskQueue: options.taskQueue,
      }),
      ...createSweepActivities({ db: options.db, logger: options.logger, taskQueue: options.taskQueue }),
    },
    ...options.extra,
  });
}
