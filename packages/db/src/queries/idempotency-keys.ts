import type { DbOrTx } from '../client';
import type { IdempotencyKey } from '../schema';

/**
 * Claims an idempotency key for a request. Returns `claimed: true` when this request may run; otherwise
 * the row that holds the key (finished, or still in flight). Expired rows, and in-flight rows older than
 * `staleAfterMs` (their process died mid-request), are removed first so the key can be used again.
 */
export async function claimIdempotencyKey(
  db: DbOrTx,
  options: {
    organizationId: string;
    key: string;
    requestHash: string;
    now: Date;
    ttlMs: number;
    staleAfterMs: number;
  },
): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyKey }> {
  const { organizationId, key, now } = options;
  await db
    .deleteFrom('idempotency_keys')
    .where('organization_id', '=', organizationId)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb.and([
          eb('status', '=', 'in_flight'),
          eb('created_at', '<', new Date(now.getTime() - options.staleAfterMs)),
        ]),
      ]),
    )
    .execute();
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      organization_id: organizationId,
      key,
      request_hash: options.requestHash,
      status: 'in_flight',
      created_at: now,
      expires_at: new Date(now.getTime() + options.ttlMs),
    })
    .onConflict((oc) => oc.columns(['organization_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { claimed: true };
  const existing = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('key', '=', key)
    .executeTakeFirst();
  // Deleted between our insert and select (expired at that instant): the caller may simply retry.
  if (!existing) return claimIdempotencyKey(db, options);
  return { claimed: false, existing };
}

/** Stores the response of a claimed key, to be replayed to retries. */
export async function completeIdempotencyKey(
  db: DbOrTx,
  options: { organizationId: string; key: string; responseStatus: number; responseBody: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'done', response_status: options.responseStatus, response_body: options.responseBody })
    .where('organization_id', '=', options.organizationId)
    .where('key', '=', options.key)
    .execute();
}

/** Gives a claimed key back (the request failed in a way a retry may fix). */
export async function releaseIdempotencyKey(
  db: DbOrTx,
  options: { organizationId: string; key: string },
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('organization_id', '=', options.organizationId)
    .where('key', '=', options.key)
    .where('status', '=', 'in_flight')
    .execute();
}
