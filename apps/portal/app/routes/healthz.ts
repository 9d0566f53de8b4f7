import { checkDatabase } from '@settle/core';
import { db } from '../db.server';

/**
 * `GET /healthz`: 200 when the portal can reach PostgreSQL, 503 with the reason otherwise (the same
 * shape as the API's). The portal serves its pages without a worker, so whether one polls the
 * reminders task queue is the API's `/healthz` to report, not this one's.
 */
export async function loader() {
  const postgres = await checkDatabase({ db });
  return postgres.status === 'up'
    ? Response.json({ status: 'ok', checks: { postgres } })
    : Response.json({ status: 'degraded', checks: { postgres } }, { status: 503 });
}
