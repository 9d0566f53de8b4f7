import { AppError, authenticateApiKey } from '@settle/core';
import { type DbOrTx, touchApiKey } from '@settle/db';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './api-app';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** `Authorization: Bearer <key>`: sets `auth` to the key's organization, or answers 401. */
export function apiKeyAuth(db: DbOrTx): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const key = header ? BEARER.exec(header)?.[1] : undefined;
    if (!key) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError('UNAUTHORIZED', 'missing bearer API key', {
        userMessage: 'Send your API key as "Authorization: Bearer <key>".',
      });
    }
    const found = await authenticateApiKey(db, { key });
    if (!found) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new AppError('UNAUTHORIZED', 'unknown or revoked API key', {
        userMessage: 'The API key is not valid (unknown or revoked).',
      });
    }
    await touchApiKey(db, found.keyId, new Date());
    c.set('auth', { organizationId: found.organizationId, apiKeyId: found.keyId });
    await next();
  };
}
