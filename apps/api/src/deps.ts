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
  /** Requests per API key per window on `/v1` (default 600 per minute). */
  rateLimit?: { requests: number; windowMs: number };
}
