import { createRoute, z } from '@hono/zod-openapi';
import { previewPolicySchedule } from '@settle/core';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, jsonBody, jsonRequest } from '../../http/schemas';
import { SchedulePreviewSchema } from './schedule-schemas';

// Only the shape is checked here; the content (dates, zone, country, the policy's rules) is checked by
// core, so one answer names every bad field of the policy and the sample together.
const PolicyPreviewInputSchema = z
  .object({
    policy: z
      .record(z.string(), z.unknown(), { error: 'expected an object' })
      .openapi({ description: 'A draft policy in the shape of PolicyRules; nothing is saved.' }),
    sample: z.object({
      issueDate: z.string().openapi({ example: '2026-10-16' }),
      dueDate: z.string().openapi({ example: '2026-11-09' }),
      country: z.string().openapi({ example: 'PL' }),
      timeZone: z.string().openapi({ example: 'Europe/Warsaw' }),
      balanceMinor: z
        .number()
        .optional()
        .openapi({ description: 'Open balance, for minimum-balance conditions' }),
    }),
  })
  .openapi('PolicyPreviewInput');

const route = createRoute({
  method: 'post',
  path: '/v1/policies/preview',
  tags: ['Reminder policies'],
  summary: 'Preview the schedule a draft policy gives a sample invoice (nothing is saved)',
  security: [{ apiKey: [] }],
  request: jsonRequest(PolicyPreviewInputSchema),
  responses: {
    200: jsonBody(z.object({ data: SchedulePreviewSchema }), 'The schedule.'),
    ...commonErrors,
  },
});

export function registerPoliciesPreview(app: ApiApp): void {
  app.openapi(route, (c) => {
    const body = c.req.valid('json');
    const { balanceMinor, ...sample } = body.sample;
    const preview = previewPolicySchedule({
      policy: body.policy,
      sample: { ...sample, ...(balanceMinor === undefined ? {} : { balanceMinor }) },
    });
    return c.json({ data: preview }, 200);
  });
}
