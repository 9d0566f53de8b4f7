import { createLogger } from '@settle/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import type { ApiDeps } from '../deps';
import { type ApiHarness, createApiHarness } from '../testing/api-harness';

// /healthz against a real PostgreSQL and a real Temporal dev server. A worker is, to Temporal, a
// client that long-polls the task queue; the poll below is that same call (PollWorkflowTaskQueue),
// made without the SDK's worker (which the API does not depend on), so Temporal lists a poller
// exactly as it does for a running worker.
let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(async () => {
  await h?.close();
});

function appWith(health: ApiDeps['health'], taskQueue = h.taskQueue) {
  return createApp({
    db: h.db,
    temporal: h.temporal,
    logger: createLogger('api-test', 'silent'),
    namespace: 'default',
    taskQueue,
    health,
  });
}

interface Health {
  status: string;
  checks: Record<string, { status: string; reason?: string; taskQueue?: string; pollers?: object }>;
}

async function health(app: ReturnType<typeof appWith>): Promise<{ status: number; body: Health }> {
  const response = await app.request('/healthz');
  return { status: response.status, body: (await response.json()) as Health };
}

/** Polls the task queue as a worker does until the returned stop() is called. */
function startPolling(taskQueue: string): () => Promise<void> {
  const controller = new AbortController();
  const connection = h.temporal.connection;
  const poll = connection
    .withAbortSignal(controller.signal, () =>
      // Temporal refuses a long poll without a deadline; a worker's lasts about a minute.
      connection.withDeadline(Date.now() + 60_000, () =>
        connection.workflowService.pollWorkflowTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue, kind: 1 },
          identity: 'health-test-worker',
        }),
      ),
    )
    .catch(() => undefined);
  return async () => {
    controller.abort();
    await poll;
  };
}

/** Asks until `until` holds (the poller reaches Temporal's list asynchronously), at most ~20 s. */
async function healthUntil(app: ReturnType<typeof appWith>, until: (answer: { status: number }) => boolean) {
  let answer = await health(app);
  for (let tries = 0; tries < 100 && !until(answer); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await health(app);
  }
  return answer;
}

describe('GET /healthz with PostgreSQL and Temporal up', () => {
  it('answers 503 naming the worker when nothing polls the reminders task queue', async () => {
    const { status, body } = await health(appWith({ workerCheckCacheMs: 0 }));
    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'degraded',
      checks: {
        postgres: { status: 'up' },
        temporal: { status: 'up' },
        worker: {
          status: 'down',
          taskQueue: h.taskQueue,
          reason: `no worker polled task queue '${h.taskQueue}' in the last 90 s`,
        },
      },
    });
  });

  it('answers 200 while a worker polls the task queue, and 503 again once it stopped polling', async () => {
    const taskQueue = `${h.taskQueue}-polled`;
    const app = appWith({ workerCheckCacheMs: 0, workerSeenWithinMs: 1_000 }, taskQueue);
    const stop = startPolling(taskQueue);
    let up: Awaited<ReturnType<typeof health>>;
    try {
      up = await healthUntil(app, (answer) => answer.status === 200);
    } finally {
      await stop();
    }
    expect(up.status).toBe(200);
    expect(up.body).toEqual({
      status: 'ok',
      checks: {
        postgres: { status: 'up' },
        temporal: { status: 'up' },
        worker: { status: 'up', taskQueue, pollers: { workflow: 1, activity: 0 } },
      },
    });

    // Temporal keeps listing a dead worker's poller for minutes; its last poll ages out of the window.
    const down = await healthUntil(app, (answer) => answer.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.checks.worker).toMatchObject({ status: 'down', taskQueue });
  });

  it('asks Temporal about the task queue at most once per cache period', async () => {
    const taskQueue = `${h.taskQueue}-cached`;
    const cachedApp = appWith({ workerCheckCacheMs: 600_000 }, taskQueue);
    const freshApp = appWith({ workerCheckCacheMs: 0 }, taskQueue);
    expect((await health(cachedApp)).status).toBe(503);

    const stop = startPolling(taskQueue);
    try {
      expect((await healthUntil(freshApp, (answer) => answer.status === 200)).status).toBe(200);
      // Still the first answer: the describe is not repeated inside the cache period.
      expect((await health(cachedApp)).body.checks.worker?.status).toBe('down');
    } finally {
      await stop();
    }
  });
});
