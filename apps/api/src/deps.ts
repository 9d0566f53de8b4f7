import type { Db } from '@settle/db';
import type { Logger } from '@settle/logging';
import type { Client } from '@temporalio/client';

/** Everything a route needs, passed in once so tests can build the app over their own services. */
export interface ApiDeps {
  db: Db;
  temporal: Client;
  logger: Logger;
  namespace: string;
  taskQueue: string;
  /** Provider webhook signing secrets; the local defaults when absent (what the test checkout signs with). */
  webhookSecrets?: { stripe: string; gocardless: string };
  /**
   * `/healthz`: a worker counts as polling when Temporal saw its last poll within `workerSeenWithinMs`
   * (default 90 s); the task queue is described at most once per `workerCheckCacheMs` (default 5 s).
   */
  health?: { workerSeenWithinMs?: number; workerCheckCacheMs?: number };
  /** Payment events not applied this many minutes after arrival are listed (PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES). */
  unappliedPaymentEventMinutes?: number;
  /** Requests per API key per window on `/v1` (default 600 per minute). */
  rateLimit?: { requests: number; windowMs: number };
}
