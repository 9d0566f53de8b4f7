import { createDb } from '@settle/db';
import { createLogger } from '@settle/logging';
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';

// Here every dependency is unreachable; health.happy.int.test.ts runs against real services.
describe('GET /healthz', () => {
  it('answers 503 naming PostgreSQL, Temporal and the worker check as down, with the reason and no credentials', async () => {
    const db = createDb({
      connectionString: 'postgres://settle:secret-pw@127.0.0.1:9/settle',
      maxConnections: 1,
    });
    const connection = Connection.lazy({ address: '127.0.0.1:9', connectTimeout: '1 second' });
    const app = createApp({
      db,
      temporal: new Client({ connection }),
      logger: createLogger('api-test', 'silent'),
      namespace: 'default',
      taskQueue: 'reminders',
    });
    try {
      const response = await app.request('/healthz');
      expect(response.status).toBe(503);
      const body = (await response.json()) as {
        status: string;
        checks: Record<string, { status: string; reason?: string }>;
      };
      expect(body.status).toBe('degraded');
      expect(body.checks.postgres).toMatchObject({
        status: 'down',
        reason: expect.stringMatching(/ECONNREFUSED/),
      });
      expect(body.checks.temporal?.status).toBe('down');
      expect(body.checks.temporal?.reason).toBeTruthy();
      expect(body.checks.worker).toMatchObject({
        status: 'down',
        reason: expect.stringMatching(/^task queue not described: /),
      });
      expect(JSON.stringify(body)).not.toContain('secret-pw');
    } finally {
      await db.destroy();
    }
  });

  it('answers a JSON 404 for an unknown route', async () => {
    const app = createApp({
      db: createDb({ connectionString: 'postgres://x@127.0.0.1:9/x' }),
      temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) }),
      logger: createLogger('api-test', 'silent'),
      namespace: 'default',
      taskQueue: 'reminders',
    });
    const response = await app.request('/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { code: 'NOT_FOUND', requestId: expect.any(String) },
    });
  });
});
