import { sql } from '@settle/db';
import { db } from '../db.server';

/**
 * `GET /healthz`: 200 when the portal can reach PostgreSQL, 503 with the reason otherwise (the same
 * shape as the API's). The portal serves its pages without a worker, so whether one polls the
 * reminders task queue is the API's `/healthz` to report, not this one's.
 */
export async function loader() {
  try {
    await sql`SELECT 1`.execute(db);
    return Response.json({ status: 'ok', checks: { postgres: { status: 'up' } } });
  } catch (error) {
    // Names the failure without leaking a connection string.
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /postgres(ql)?:\/\/\S+/g,
      '<database>',
    );
    return Response.json(
      { status: 'degraded', checks: { postgres: { status: 'down', reason } } },
      { status: 503 },
    );
  }
}
