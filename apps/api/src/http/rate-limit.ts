import { AppError } from '@settle/core';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './api-app';

export interface RateLimitOptions {
  /** Requests allowed per key in each window. */
  requests: number;
  windowMs: number;
  now?: () => number;
}

/**
 * A fixed-window limit per API key, counted in this process's memory: with N API processes behind a
 * load balancer a key gets up to N × the limit. Enough to stop a runaway integration; a shared
 * counter (PostgreSQL or Redis) is the upgrade when the limit must be exact.
 */
export function rateLimitPerApiKey(options: RateLimitOptions): MiddlewareHandler<ApiEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  const now = options.now ?? Date.now;
  return async (c, next) => {
    const keyId = c.get('auth').apiKeyId;
    const at = now();
    let window = windows.get(keyId);
    if (!window || at - window.start >= options.windowMs) {
      // Forget finished windows now and then so the map holds only active keys.
      if (windows.size > 10_000) {
        for (const [id, w] of windows) if (at - w.start >= options.windowMs) windows.delete(id);
      }
      window = { start: at, count: 0 };
      windows.set(keyId, window);
    }
    window.count += 1;
    const remaining = Math.max(0, options.requests - window.count);
    const resetSeconds = Math.max(1, Math.ceil((window.start + options.windowMs - at) / 1000));
    c.header('RateLimit-Limit', String(options.requests));
    c.header('RateLimit-Remaining', String(remaining));
    c.header('RateLimit-Reset', String(resetSeconds));
    if (window.count > options.requests) {
      c.header('Retry-After', String(resetSeconds));
      throw new AppError('RATE_LIMITED', `API key ${keyId} over ${options.requests} requests per window`, {
        userMessage: `Rate limit of ${options.requests} requests per ${options.windowMs / 1000} s exceeded; retry after ${resetSeconds} s.`,
      });
    }
    await next();
  };
}
