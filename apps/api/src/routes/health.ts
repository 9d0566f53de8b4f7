import { pingDatabase } from '@settle/db';
import type { Client } from '@temporalio/client';
import type { ApiDeps } from '../deps';
import type { ApiApp } from '../http/api-app';

type Check = { status: 'up' } | { status: 'down'; reason: string };

/** What the worker check says: how many pollers of each task type Temporal saw recently. */
type WorkerCheck =
  | { status: 'up'; taskQueue: string; pollers: { workflow: number; activity: number } }
  | { status: 'down'; taskQueue: string; reason: string };

const CHECK_TIMEOUT_MS = 2_000;
/** A worker long-polls for up to a minute, so an idle one is seen about once a minute. */
export const DEFAULT_WORKER_SEEN_WITHIN_MS = 90_000;
/** Health checks arrive every few seconds from each orchestrator; Temporal is asked at most this often. */
export const DEFAULT_WORKER_CHECK_CACHE_MS = 5_000;

// temporal.api.enums.v1.TaskQueueType (the proto package is not a dependency of the API).
const TASK_QUEUE_TYPE_WORKFLOW = 1;
const TASK_QUEUE_TYPE_ACTIVITY = 2;
const TASK_QUEUE_KIND_NORMAL = 1;

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
    await withTimeout(pingDatabase(deps.db), 'PostgreSQL');
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

/** Pollers of one task type whose last poll Temporal saw at or after `since` (epoch ms). */
async function recentPollers(
  temporal: Client,
  request: { namespace: string; taskQueue: string; taskQueueType: number },
  since: number,
): Promise<number> {
  const connection = temporal.connection;
  const response = await connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
    connection.workflowService.describeTaskQueue({
      namespace: request.namespace,
      taskQueue: { name: request.taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
      taskQueueType: request.taskQueueType,
    }),
  );
  // Temporal keeps a poller listed for minutes after its worker died; only a recent poll counts.
  return (response.pollers ?? []).filter((poller) => {
    const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
    return seconds * 1000 + (poller.lastAccessTime?.nanos ?? 0) / 1e6 >= since;
  }).length;
}

async function checkWorker(deps: ApiDeps, seenWithinMs: number): Promise<WorkerCheck> {
  const { taskQueue, namespace } = deps;
  try {
    const since = Date.now() - seenWithinMs;
    const [workflow, activity] = await Promise.all([
      recentPollers(deps.temporal, { namespace, taskQueue, taskQueueType: TASK_QUEUE_TYPE_WORKFLOW }, since),
      recentPollers(deps.temporal, { namespace, taskQueue, taskQueueType: TASK_QUEUE_TYPE_ACTIVITY }, since),
    ]);
    if (workflow + activity === 0) {
      return {
        status: 'down',
        taskQueue,
        reason: `no worker polled task queue '${taskQueue}' in the last ${Math.round(seenWithinMs / 1000)} s`,
      };
    }
    return { status: 'up', taskQueue, pollers: { workflow, activity } };
  } catch (error) {
    return { status: 'down', taskQueue, reason: `task queue not described: ${reasonOf(error)}` };
  }
}

/**
 * `GET /healthz`: 200 when PostgreSQL and Temporal answer and a worker polls the reminders task
 * queue; 503 naming what is down otherwise, so an orchestrator can restart the part that failed.
 * The worker check asks Temporal for the task queue's pollers (workflow and activity tasks) at most
 * once per `cacheMs`.
 */
export function registerHealth(app: ApiApp, deps: ApiDeps): void {
  const seenWithinMs = deps.health?.workerSeenWithinMs ?? DEFAULT_WORKER_SEEN_WITHIN_MS;
  const cacheMs = deps.health?.workerCheckCacheMs ?? DEFAULT_WORKER_CHECK_CACHE_MS;
  let cached: { at: number; check: Promise<WorkerCheck> } | null = null;
  const workerCheck = () => {
    const now = Date.now();
    if (!cached || now - cached.at >= cacheMs) cached = { at: now, check: checkWorker(deps, seenWithinMs) };
    return cached.check;
  };

  app.get('/healthz', async (c) => {
    const [postgres, temporal, worker] = await Promise.all([
      checkPostgres(deps),
      checkTemporal(deps),
      workerCheck(),
    ]);
    const ok = postgres.status === 'up' && temporal.status === 'up' && worker.status === 'up';
    return c.json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal, worker } }, ok ? 200 : 503);
  });
}
