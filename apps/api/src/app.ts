import { Scalar } from '@scalar/hono-api-reference';
import { APP_ERROR_STATUS, AppError, type AppErrorCode } from '@settle/core';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { ApiDeps } from './deps';
import { type ApiApp, createApiApp, transactionConflictResponse } from './http/api-app';
import { apiKeyAuth } from './http/auth';
import { idempotency } from './http/idempotency';
import { rateLimitPerApiKey } from './http/rate-limit';
import { registerHealth } from './routes/health';
import { registerCustomersCreate } from './routes/v1/customers-create';
import { registerCustomersGet } from './routes/v1/customers-get';
import { registerCustomersList } from './routes/v1/customers-list';
import { registerCustomersUpdate } from './routes/v1/customers-update';
import { registerDisputesGet } from './routes/v1/disputes-get';
import { registerDisputesList } from './routes/v1/disputes-list';
import { registerDisputesResolve } from './routes/v1/disputes-resolve';
import { MAX_CSV_BYTES } from './routes/v1/import-body';
import { registerImports } from './routes/v1/imports';
import { registerInvoicesVoid, registerInvoicesWriteOff } from './routes/v1/invoices-close';
import { registerInvoicesCreate } from './routes/v1/invoices-create';
import { registerInvoicesGet } from './routes/v1/invoices-get';
import { registerInvoicesList } from './routes/v1/invoices-list';
import { registerInvoicesPaymentsCreate } from './routes/v1/invoices-payments-create';
import { registerInvoicesSchedule } from './routes/v1/invoices-schedule';
import { registerInvoicesTimeline } from './routes/v1/invoices-timeline';
import { registerInvoicesUpdate } from './routes/v1/invoices-update';
import { registerPaymentEventsRerun } from './routes/v1/payment-events-rerun';
import { registerPaymentEventsUnapplied } from './routes/v1/payment-events-unapplied';
import { registerPoliciesCreate } from './routes/v1/policies-create';
import { registerPoliciesGet } from './routes/v1/policies-get';
import { registerPoliciesList } from './routes/v1/policies-list';
import { registerPoliciesPreview } from './routes/v1/policies-preview';
import { registerPoliciesUpdate } from './routes/v1/policies-update';
import { registerPromisesCreate } from './routes/v1/promises-create';
import { registerPromisesList } from './routes/v1/promises-list';
import { registerReports } from './routes/v1/reports';
import { registerStatutoryRatesCreate } from './routes/v1/statutory-rates-create';
import { registerStatutoryRatesList } from './routes/v1/statutory-rates-list';
import { registerTemplatesCreate } from './routes/v1/templates-create';
import { registerTemplatesGet } from './routes/v1/templates-get';
import { registerTemplatesList } from './routes/v1/templates-list';
import { registerTemplatesUpdate } from './routes/v1/templates-update';
import { registerWebhooks } from './webhooks';

/** Every `/v1` request other than an import: JSON documents of a few kilobytes. */
const MAX_JSON_REQUEST_BYTES = 1024 * 1024;

const HTTP_CODES: Record<number, AppErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'VALIDATION',
  415: 'VALIDATION',
  429: 'RATE_LIMITED',
};

/**
 * The HTTP API. Errors answer `{ error: { code, message, details?, requestId } }`; a 500 never leaks
 * internals. `/v1/*` needs an API key and is rate limited and idempotent; `/healthz`, `/openapi.json`,
 * `/docs` and provider webhooks are not behind API keys.
 */
export function createApp(deps: ApiDeps): ApiApp {
  const app = createApiApp();
  app.use(requestId());

  registerHealth(app, deps);
  registerWebhooks(app, deps);

  app.use('/v1/*', apiKeyAuth(deps.db));
  app.use(
    '/v1/*',
    rateLimitPerApiKey({
      requests: deps.rateLimit?.requests ?? 600,
      windowMs: deps.rateLimit?.windowMs ?? 60_000,
    }),
  );
  // Bodies are capped before anything reads them (idempotency hashes the whole body): imports may be
  // as large as a CSV import allows, everything else is small.
  app.use('/v1/*', async (c, next) => {
    const maxSize = c.req.path.startsWith('/v1/imports/') ? MAX_CSV_BYTES : MAX_JSON_REQUEST_BYTES;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new HTTPException(413, { message: `the request body exceeds ${maxSize / 1024 / 1024} MB` });
      },
    })(c, next);
  });
  app.use('/v1/*', idempotency(deps.db));

  // `/v1` routes: after the middleware above, so every one is authenticated, limited and idempotent.
  registerCustomersCreate(app, deps);
  registerCustomersList(app, deps);
  registerCustomersGet(app, deps);
  registerCustomersUpdate(app, deps);
  registerInvoicesCreate(app, deps);
  registerInvoicesList(app, deps);
  registerInvoicesGet(app, deps);
  registerInvoicesUpdate(app, deps);
  registerInvoicesVoid(app, deps);
  registerInvoicesWriteOff(app, deps);
  registerInvoicesPaymentsCreate(app, deps);
  registerInvoicesTimeline(app, deps);
  registerInvoicesSchedule(app, deps);
  registerPromisesCreate(app, deps);
  registerPromisesList(app, deps);
  registerDisputesList(app, deps);
  registerDisputesGet(app, deps);
  registerDisputesResolve(app, deps);
  registerPaymentEventsUnapplied(app, deps);
  registerPaymentEventsRerun(app, deps);
  registerPoliciesList(app, deps);
  registerPoliciesGet(app, deps);
  registerPoliciesCreate(app, deps);
  registerPoliciesPreview(app);
  registerPoliciesUpdate(app, deps);
  registerTemplatesList(app, deps);
  registerTemplatesGet(app, deps);
  registerTemplatesCreate(app, deps);
  registerTemplatesUpdate(app, deps);
  registerStatutoryRatesList(app, deps);
  registerStatutoryRatesCreate(app, deps);
  registerImports(app, deps);
  registerReports(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key made with `pnpm --filter @settle/api keys create`.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Settle API',
      version: '1.0.0',
      description: 'Customers, invoices, disputes, promises to pay, reminder policies and templates.',
    },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Settle API reference' }));

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
    const busy = transactionConflictResponse(c, error);
    if (busy) {
      deps.logger.warn({ err: error, requestId: id }, 'transaction conflict after retries: answered 503');
      return busy;
    }
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
    // Hono's own refusals (malformed JSON body, say) carry a 4xx status and a message safe to show.
    if (error instanceof HTTPException && error.status < 500) {
      const code = HTTP_CODES[error.status] ?? 'VALIDATION';
      return c.json({ error: { code, message: error.message, requestId: id } }, error.status);
    }
    deps.logger.error({ err: error, requestId: id }, 'unhandled error');
    return c.json({ error: { code: 'INTERNAL', message: 'internal error', requestId: id } }, 500);
  });
  return app;
}
