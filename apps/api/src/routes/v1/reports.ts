import { createRoute, z } from '@hono/zod-openapi';
import {
  getAgingReport,
  getCollectedReport,
  getDsoReport,
  getDsoTrend,
  MAX_TREND_MONTHS,
} from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { CalendarDateSchema, commonErrors, jsonBody } from '../../http/schemas';

/** `GET /v1/reports/*`: aging, DSO (and its monthly trend) and money collected, per currency. */

const date = (name: string, description: string) =>
  CalendarDateSchema.optional().openapi({ param: { name, in: 'query' }, description });

const minor = z.number().int().openapi({ description: 'Integer minor units (cents).' });

const BucketsSchema = z
  .object({
    current: minor.openapi({ description: 'Not yet due (due on the report date or later).' }),
    d1_30: minor.openapi({ description: '1–30 days past due.' }),
    d31_60: minor.openapi({ description: '31–60 days past due.' }),
    d61_90: minor.openapi({ description: '61–90 days past due.' }),
    d90_plus: minor.openapi({ description: 'More than 90 days past due.' }),
  })
  .openapi('AgingBuckets');

const CountsSchema = z.object({
  current: z.number().int(),
  d1_30: z.number().int(),
  d31_60: z.number().int(),
  d61_90: z.number().int(),
  d90_plus: z.number().int(),
});

const AgingSchema = z
  .object({
    asOf: z.string(),
    currencies: z.array(
      z.object({
        currency: z.string(),
        buckets: BucketsSchema,
        invoiceCounts: CountsSchema,
        totalMinor: minor,
        invoiceCount: z.number().int(),
      }),
    ),
    customers: z.array(
      z.object({
        customerId: z.string(),
        code: z.string(),
        name: z.string(),
        currency: z.string(),
        buckets: BucketsSchema,
        totalMinor: minor,
        invoiceCount: z.number().int(),
      }),
    ),
  })
  .openapi('AgingReport');

const DsoCurrencySchema = z.object({
  currency: z.string(),
  receivablesMinor: minor,
  creditSalesMinor: minor,
  dsoDays: z
    .number()
    .nullable()
    .openapi({ description: 'Days, one decimal; null when nothing was sold but something is owed.' }),
});

const DsoSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    periodDays: z.number().int(),
    currencies: z.array(DsoCurrencySchema),
  })
  .openapi('DsoReport');

const DsoTrendSchema = z
  .object({
    asOf: z.string(),
    months: z.array(
      z.object({
        month: z.string().openapi({ example: '2026-03' }),
        from: z.string(),
        to: z.string(),
        periodDays: z.number().int(),
        currencies: z.array(DsoCurrencySchema),
      }),
    ),
  })
  .openapi('DsoTrend');

const CollectedSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    currencies: z.array(
      z.object({
        currency: z.string(),
        collectedMinor: minor,
        viaPortalMinor: minor,
        allocatedMinor: minor,
        paymentCount: z.number().int(),
      }),
    ),
  })
  .openapi('CollectedReport');

const PeriodQuerySchema = z.object({
  from: date('from', 'First day (default: 89 days before `to`).'),
  to: date('to', "Last day (default: today in the organization's time zone)."),
});

const agingRoute = createRoute({
  method: 'get',
  path: '/v1/reports/aging',
  tags: ['Reports'],
  summary: 'Aging of open balances by days past due, per currency and per customer',
  security: [{ apiKey: [] }],
  request: {
    query: z.object({
      asOf: date('asOf', "Report date (default: today in the organization's time zone)."),
      customerId: z
        .uuid({ error: 'expected a customer id' })
        .optional()
        .openapi({ param: { name: 'customerId', in: 'query' }, description: 'Only this customer.' }),
    }),
  },
  responses: { 200: jsonBody(AgingSchema, 'The aging report.'), ...commonErrors },
});

const dsoRoute = createRoute({
  method: 'get',
  path: '/v1/reports/dso',
  tags: ['Reports'],
  summary: 'Days sales outstanding over a period, per currency',
  security: [{ apiKey: [] }],
  request: { query: PeriodQuerySchema },
  responses: { 200: jsonBody(DsoSchema, 'DSO per currency.'), ...commonErrors },
});

const dsoTrendRoute = createRoute({
  method: 'get',
  path: '/v1/reports/dso/trend',
  tags: ['Reports'],
  summary: 'DSO per calendar month',
  security: [{ apiKey: [] }],
  request: {
    query: z.object({
      months: z.coerce
        .number({ error: `expected a whole number from 1 to ${MAX_TREND_MONTHS}` })
        .int(`expected a whole number from 1 to ${MAX_TREND_MONTHS}`)
        .min(1)
        .max(MAX_TREND_MONTHS)
        .default(12)
        .openapi({ param: { name: 'months', in: 'query' }, description: 'How many months (default 12).' }),
      asOf: date('asOf', 'Last day of the last month (default: today).'),
    }),
  },
  responses: { 200: jsonBody(DsoTrendSchema, 'DSO per month, oldest first.'), ...commonErrors },
});

const collectedRoute = createRoute({
  method: 'get',
  path: '/v1/reports/collected',
  tags: ['Reports'],
  summary: 'Money collected over a period, per currency, with the part paid through the portal',
  security: [{ apiKey: [] }],
  request: { query: PeriodQuerySchema },
  responses: { 200: jsonBody(CollectedSchema, 'Collections per currency.'), ...commonErrors },
});

/** Drops absent query parameters, so defaults apply (exact optional properties). */
function defined<T extends Record<string, unknown>>(query: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

export function registerReports(app: ApiApp, deps: ApiDeps): void {
  app.openapi(agingRoute, async (c) => {
    const report = await getAgingReport(deps.db, {
      organizationId: c.get('auth').organizationId,
      ...defined(c.req.valid('query')),
    });
    return c.json(report, 200);
  });
  app.openapi(dsoRoute, async (c) => {
    const report = await getDsoReport(deps.db, {
      organizationId: c.get('auth').organizationId,
      ...defined(c.req.valid('query')),
    });
    return c.json(report, 200);
  });
  app.openapi(dsoTrendRoute, async (c) => {
    const { months, ...rest } = c.req.valid('query');
    const trend = await getDsoTrend(deps.db, {
      organizationId: c.get('auth').organizationId,
      months,
      ...defined(rest),
    });
    return c.json(trend, 200);
  });
  app.openapi(collectedRoute, async (c) => {
    const report = await getCollectedReport(deps.db, {
      organizationId: c.get('auth').organizationId,
      ...defined(c.req.valid('query')),
    });
    return c.json(report, 200);
  });
}
