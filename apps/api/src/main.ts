import { serve } from '@hono/node-server';
import { createDb, logTransactionRetries, migrateToLatest } from '@settle/db';
import { createLogger } from '@settle/logging';
import { Client, Connection } from '@temporalio/client';
import { createApp } from './app';
import { env } from './env';

const logger = createLogger('api', env.LOG_LEVEL);
logTransactionRetries(logger);
const db = createDb({
  connectionString: env.DATABASE_URL,
  maxConnections: env.DATABASE_POOL_SIZE,
  applicationName: 'api',
});
if (env.MIGRATE_ON_START) {
  const { applied } = await migrateToLatest(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
}
// Lazy: the API starts (and reports Temporal down in /healthz) even while Temporal is unreachable.
const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });

const app = createApp({
  db,
  temporal,
  logger,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  rateLimit: { requests: env.API_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
  health: { workerSeenWithinMs: env.HEALTH_WORKER_SEEN_WITHIN_SECONDS * 1000 },
  webhookSecrets: { stripe: env.STRIPE_WEBHOOK_SECRET, gocardless: env.GOCARDLESS_WEBHOOK_SECRET },
  unappliedPaymentEventMinutes: env.PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES,
});
const server = serve({ fetch: app.fetch, port: env.API_PORT, hostname: env.API_HOST }, (info) => {
  logger.info({ url: `http://${env.API_HOST}:${info.port}` }, 'api ready');
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'api stopping');
  server.close();
  await connection.close().catch(() => {});
  await db.destroy();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
