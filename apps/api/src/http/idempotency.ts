import { createHash } from 'node:crypto';
import { AppError } from '@settle/core';
import { claimIdempotencyKey, completeIdempotencyKey, type DbOrTx, releaseIdempotencyKey } from '@settle/db';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './api-app';

const TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight claim older than this belongs to a request whose process died; it may be retried. */
const STALE_AFTER_MS = 5 * 60 * 1000;

/**
 * `Idempotency-Key` on POST: the first response (status and body) is stored for 24 h and replayed to
 * any retry with the same key and the same request (method, path, query, body); the same key with a different request, or while
 * the first is still running, is a 409. 5xx answers are not stored, so a retry runs again.
 */
export function idempotency(db: DbOrTx): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (key.length < 1 || key.length > 255) {
      throw new AppError('VALIDATION', 'bad Idempotency-Key', {
        details: [{ field: 'Idempotency-Key', message: 'expected 1 to 255 characters' }],
      });
    }
    const { organizationId } = c.get('auth');
    // Reading the body here leaves it readable for the route's validator (Hono caches it).
    const body = await c.req.text();
    // Path and query both name the request (an import's `?delimiter=` changes what the body means).
    const url = new URL(c.req.url);
    const requestHash = createHash('sha256')
      .update(`${c.req.method} ${url.pathname}${url.search}\n`)
      .update(body)
      .digest('hex');
    const claim = await claimIdempotencyKey(db, {
      organizationId,
      key,
      requestHash,
      now: new Date(),
      ttlMs: TTL_MS,
      staleAfterMs: STALE_AFTER_MS,
    });
    if (!claim.claimed) {
      const { existing } = claim;
      if (existing.request_hash !== requestHash) {
        throw new AppError('CONFLICT', `Idempotency-Key ${key} reused with a different request`, {
          userMessage: 'This Idempotency-Key was already used with a different request.',
          details: [{ field: 'Idempotency-Key', message: 'already used with a different request' }],
        });
      }
      if (existing.status !== 'done' || existing.response_status === null) {
        throw new AppError('CONFLICT', `Idempotency-Key ${key} still in flight`, {
          userMessage: 'A request with this Idempotency-Key is still being processed; retry shortly.',
          details: [{ field: 'Idempotency-Key', message: 'a request with this key is in progress' }],
        });
      }
      c.header('Idempotent-Replayed', 'true');
      return c.body(existing.response_body ?? '', existing.response_status as 200, {
        'Content-Type': 'application/json',
      });
    }
    try {
      await next();
    } catch (error) {
      await releaseIdempotencyKey(db, { organizationId, key });
      throw error;
    }
    // Errors thrown by the route are already answered here (Hono's onError runs inside next()).
    const status = c.res.status;
    if (status >= 500) {
      await releaseIdempotencyKey(db, { organizationId, key });
      return;
    }
    const responseBody = await c.res.clone().text();
    await completeIdempotencyKey(db, { organizationId, key, responseStatus: status, responseBody });
  };
}
