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
  /** Requests per API key per window on `/v1` (default 600 per minute). */
  rateLimit?: { requests: number; windowMs: number };
}
