import { APP_ERROR_STATUS, AppError } from '@settle/core';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { ApiDeps } from './deps';
import { registerHealth } from './routes/health';

/** The HTTP API. Errors answer `{ error: { code, message, requestId } }`; a 500 never leaks internals. */
export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use(requestId());

  registerHealth(app, deps);

  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'NOT_FOUND',
          message: `no route for ${c.req.method} ${c.req.path}`,
          requestId: c.get('requestId'),
        },
      },
      404,
    ),
  );
  app.onError((error, c) => {
    const id = c.get('requestId');
    if (error instanceof AppError) {
      const status = APP_ERROR_STATUS[error.code];
      if (status >= 500) deps.logger.error({ err: error, requestId: id }, error.message);
      return c.json(
        {
          error: {
            code: error.code,
            message: error.userMessage,
            ...(error.options.details ? { details: error.options.details } : {}),
            requestId: id,
          },
        },
        status as 400,
      );
    }
    deps.logger.error({ err: error, requestId: id }, 'unhandled error');
    return c.json({ error: { code: 'INTERNAL', message: 'internal error', requestId: id } }, 500);
  });
  return app;
}
