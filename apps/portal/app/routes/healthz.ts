import { sql } from '@settle/db';
import { db } from '../db.server';

/** `GET /healthz`: 200 when the portal can reach PostgreSQL, 503 with the reason otherwise. */
export async function loader() {
  try {
    await sql`SELECT 1`.execute(db);
    return Response.json({ status: 'ok', checks: { postgres: { status: 'up' } } });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Response.json(
      { status: 'degraded', checks: { postgres: { status: 'down', reason } } },
      { status: 503 },
    );
  }
}
