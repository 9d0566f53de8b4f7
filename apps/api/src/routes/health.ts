import { sql } from '@settle/db';
import type { ApiDeps } from '../deps';
import type { ApiApp } from '../http/api-app';

type Check = { status: 'up' } | { status: 'down'; reason: string };

const CHECK_TIMEOUT_MS = 2_000;

function reasonOf(error: unknown): string {
  // Names the failure without leaking connection strings or stack traces.
  if (error instanceof Error) return error.message.replace(/postgres(ql)?:\/\/\S+/g, '<database>');
  return String(error);
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkPostgres(deps: ApiDeps): Promise<Check> {
  try {
    await withTimeout(sql`SELECT 1`.execute(deps.db), 'PostgreSQL');
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', reason: reasonOf(error) };
  }
}

async function checkTemporal(deps: ApiDeps): Promise<Check> {
  try {
    const connection = deps.temporal.connection;
    await connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
      connection.workflowService.describeNamespace({ namespace: deps.namespace }),
    );
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', reason: reasonOf(error) };
  }
}

/** `GET /healthz`: 200 when PostgreSQL and Temporal both answer, 503 naming what is down otherwise. */
export function registerHealth(app: ApiApp, deps: ApiDeps): void {
  app.get('/healthz', async (c) => {
    const [postgres, temporal] = await Promise.all([checkPostgres(deps), checkTemporal(deps)]);
    const ok = postgres.status === 'up' && temporal.status === 'up';
    return c.json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal } }, ok ? 200 : 503);
  });
}
