import { createRoute, z } from '@hono/zod-openapi';
import {
  APP_ERROR_STATUS,
  AppError,
  CUSTOMER_IMPORT_COLUMNS,
  type ImportProgress,
  type ImportRejected,
  INVOICE_IMPORT_COLUMNS,
  importCustomers,
  importInvoices,
} from '@settle/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import type { ApiDeps } from '../../deps';
import type { ApiApp, ApiEnv } from '../../http/api-app';
import { commonErrors, conflict, jsonBody } from '../../http/schemas';
import { importRows, MAX_CSV_BYTES, MAX_JSON_BYTES } from './import-body';

/**
 * `POST /v1/imports/customers` and `POST /v1/imports/invoices`: CSV (streamed) or JSON rows, all or
 * nothing. With `Accept: application/x-ndjson` the answer streams progress lines, then the result.
 */

const NDJSON = 'application/x-ndjson';

const QuerySchema = z.object({
  delimiter: z
    .enum([',', ';', 'tab'])
    .optional()
    .openapi({ param: { name: 'delimiter', in: 'query' }, description: 'CSV delimiter (default `,`).' }),
});

const RowErrorSchema = z.object({
  line: z.number().int().openapi({ description: 'CSV line (header = 1) or JSON array index (from 0).' }),
  field: z.string(),
  message: z.string(),
});

const RejectedSchema = z
  .object({
    error: z.object({
      code: z.literal('VALIDATION'),
      message: z.string(),
      details: z.array(RowErrorSchema),
      rows: z.number().int().openapi({ description: 'Rows read.' }),
      truncated: z
        .boolean()
        .openapi({ description: 'More rows were bad than listed (the list stops at 1000).' }),
      requestId: z.string(),
    }),
  })
  .openapi('ImportRejected');

const CustomersResultSchema = z
  .object({
    ok: z.literal(true),
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
  })
  .openapi('CustomerImportResult');

const InvoicesResultSchema = z
  .object({
    ok: z.literal(true),
    rows: z.number().int(),
    created: z.number().int(),
    skipped: z.number().int().openapi({ description: 'Invoices already present unchanged.' }),
    workflows: z.object({
      started: z.number().int(),
      alreadyRunning: z.number().int(),
      notStarted: z.number().int().openapi({
        description:
          'Open invoices whose reminders could not be started (Temporal unreachable); send the file again.',
      }),
      notStartedNumbers: z.array(z.string()),
    }),
  })
  .openapi('InvoiceImportResult');

function body(columns: readonly string[], example: string) {
  return {
    required: true,
    content: {
      'text/csv': {
        // A plain schema, not zod: the body is streamed by the handler, never buffered by a validator.
        schema: { type: 'string' as const, example },
      },
      'application/json': {
        schema: {
          type: 'array' as const,
          items: {
            type: 'object' as const,
            properties: Object.fromEntries(columns.map((column) => [column, { type: 'string' as const }])),
          },
        },
      },
    },
  };
}

const importResponses = (result: z.ZodType, what: string) => ({
  200: {
    description: `${what}. With \`Accept: ${NDJSON}\`: progress lines \`{"type":"progress","rows":N}\` every 1000 rows, then \`{"type":"result",...}\` (or \`{"type":"error",...}\`).`,
    content: { 'application/json': { schema: result } },
  },
  ...commonErrors,
  ...conflict,
  413: {
    description: `Body over ${MAX_CSV_BYTES / 1024 / 1024} MB (CSV) or ${MAX_JSON_BYTES / 1024 / 1024} MB (JSON).`,
  },
  415: { description: 'Content-Type is neither text/csv nor application/json.' },
  422: jsonBody(RejectedSchema, 'Bad rows: nothing was written; each is listed with its line and column.'),
});

const customersRoute = createRoute({
  method: 'post',
  path: '/v1/imports/customers',
  tags: ['Imports'],
  summary: 'Import customers (CSV or JSON), upserting by code',
  security: [{ apiKey: [] }],
  request: {
    query: QuerySchema,
    body: body(
      CUSTOMER_IMPORT_COLUMNS,
      'code,name,email,country,locale,time_zone\nACME,Acme GmbH,ap@acme.example,DE,de,Europe/Berlin\n',
    ),
  },
  responses: importResponses(CustomersResultSchema, 'Every row imported'),
});

const invoicesRoute = createRoute({
  method: 'post',
  path: '/v1/imports/invoices',
  tags: ['Imports'],
  summary: 'Import invoices (CSV or JSON) and start their reminders',
  security: [{ apiKey: [] }],
  request: {
    query: QuerySchema,
    body: body(
      INVOICE_IMPORT_COLUMNS,
      'number,customer_code,issue_date,due_date,currency,total\nINV-1,ACME,2026-03-01,2026-03-31,EUR,1230.00\n',
    ),
  },
  responses: importResponses(InvoicesResultSchema, 'Every row imported; reminders started'),
});

function rejectedBody(result: ImportRejected, requestId: string) {
  const count = result.truncated ? `more than ${result.errors.length}` : String(result.errors.length);
  return {
    error: {
      code: 'VALIDATION' as const,
      message: `${count} bad row${result.errors.length === 1 ? '' : 's'}; nothing was imported`,
      details: result.errors,
      rows: result.rows,
      truncated: result.truncated,
      requestId,
    },
  };
}

/**
 * The error envelope of app.ts's onError, for a failure after an NDJSON answer has begun (its status
 * is already sent, so the error travels as the last line).
 */
function errorLine(error: unknown, requestId: string) {
  if (error instanceof AppError) {
    return {
      status: APP_ERROR_STATUS[error.code],
      error: {
        code: error.code,
        message: error.userMessage,
        ...(error.options.details ? { details: error.options.details } : {}),
        requestId,
      },
    };
  }
  if (error instanceof HTTPException && error.status < 500) {
    return { status: error.status, error: { code: 'VALIDATION', message: error.message, requestId } };
  }
  return { status: 500, error: { code: 'INTERNAL', message: 'internal error', requestId } };
}

/**
 * Runs an import and answers: one JSON document (200, or 422 listing the bad rows), or, when the
 * client accepts NDJSON, a 200 stream of progress lines ending in a result (or error) line.
 */
async function answer(
  c: Context<ApiEnv>,
  deps: ApiDeps,
  run: (onProgress?: ImportProgress) => Promise<ImportRejected | { ok: true }>,
): Promise<Response> {
  const requestId = c.get('requestId');
  if (!c.req.header('accept')?.includes(NDJSON)) {
    const result = await run();
    return result.ok ? c.json(result, 200) : c.json(rejectedBody(result, requestId), 422);
  }
  c.header('Content-Type', NDJSON);
  c.header('Cache-Control', 'no-store');
  return stream(c, async (out) => {
    const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
    try {
      const result = await run(async (rows) => {
        await line({ type: 'progress', rows });
      });
      await line(
        result.ok
          ? { type: 'result', status: 200, ...result }
          : { type: 'result', status: 422, ...rejectedBody(result, requestId) },
      );
    } catch (error) {
      const { status, error: body } = errorLine(error, requestId);
      if (status >= 500) deps.logger.error({ err: error, requestId }, 'import failed');
      await line({ type: 'error', status, error: body });
    }
  });
}

/**
 * The request with a readable body. The Idempotency-Key middleware reads the whole body to hash it
 * (Hono keeps the text); the import then reads that text instead of the spent stream.
 */
async function readableRequest(c: Context<ApiEnv>): Promise<Request> {
  if (!c.req.raw.bodyUsed) return c.req.raw;
  return new Request(c.req.raw.url, { method: 'POST', headers: c.req.raw.headers, body: await c.req.text() });
}

export function registerImports(app: ApiApp, deps: ApiDeps): void {
  app.openapi(customersRoute, async (c) => {
    const auth = c.get('auth');
    const rows = importRows(await readableRequest(c), c.req.valid('query'));
    return answer(c, deps, (onProgress) =>
      importCustomers(deps, {
        organizationId: auth.organizationId,
        rows,
        actor: { type: 'api_key', id: auth.apiKeyId },
        ...(onProgress ? { onProgress } : {}),
      }),
    );
  });
  app.openapi(invoicesRoute, async (c) => {
    const auth = c.get('auth');
    const rows = importRows(await readableRequest(c), c.req.valid('query'));
    return answer(c, deps, (onProgress) =>
      importInvoices(deps, {
        organizationId: auth.organizationId,
        rows,
        actor: { type: 'api_key', id: auth.apiKeyId },
        ...(onProgress ? { onProgress } : {}),
      }),
    );
  });
}
