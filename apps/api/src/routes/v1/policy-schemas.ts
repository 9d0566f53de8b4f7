import { z } from '@hono/zod-openapi';
import { toReminderPolicy } from '@settle/core';
import type { ReminderPolicyWithSteps } from '@settle/db';

const StepSchema = z.object({
  key: z.string(),
  anchor: z.enum(['issue_date', 'due_date', 'paid']),
  offsetDays: z.number().int(),
  channel: z.enum(['email', 'sms', 'letter', 'call', 'collections']),
  templateKey: z.string(),
  escalation: z.enum(['courteous', 'firm', 'final', 'collections']),
  minBalanceMinor: z.number().int(),
  onlyWhenOverdue: z.boolean(),
  onlyIfUnpaidSincePrevious: z.boolean(),
  repeat: z
    .object({
      everyDays: z.number().int(),
      maxTimes: z.number().int().optional(),
      untilOffsetDays: z.number().int().optional(),
    })
    .optional(),
});

/** The policy's rules, in the domain's shape (checked by the domain's `validatePolicy` on write). */
export const PolicyRulesSchema = z
  .object({
    sendWindow: z.object({
      start: z.string().openapi({ example: '09:00' }),
      end: z.string().openapi({ example: '17:00' }),
    }),
    lateCharges: z.boolean(),
    promiseGraceDays: z.number().int(),
    maxPromiseDays: z.number().int(),
    steps: z.array(StepSchema),
  })
  .openapi('PolicyRules');

export const PolicySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    isDefault: z.boolean(),
    segment: z.string().nullable(),
    policy: PolicyRulesSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ReminderPolicy');

/**
 * A policy to write. `policy` is validated by the domain (every problem named, e.g.
 * `policy.steps.1.offsetDays`), so here it is only required to be an object.
 */
export const PolicyInputSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(100),
    isDefault: z.boolean().optional(),
    segment: z.string().trim().min(1).max(64).nullable().optional(),
    policy: z.record(z.string(), z.unknown(), { error: 'expected an object' }).openapi({
      description: 'Rules in the shape of PolicyRules.',
      example: {
        sendWindow: { start: '09:00', end: '17:00' },
        lateCharges: false,
        promiseGraceDays: 2,
        maxPromiseDays: 30,
        steps: [
          {
            key: 'due',
            anchor: 'due_date',
            offsetDays: 0,
            channel: 'email',
            templateKey: 'due',
            escalation: 'courteous',
            minBalanceMinor: 0,
            onlyWhenOverdue: false,
            onlyIfUnpaidSincePrevious: false,
          },
        ],
      },
    }),
  })
  .openapi('ReminderPolicyInput');

export function toPolicyDto(row: ReminderPolicyWithSteps): z.infer<typeof PolicySchema> {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.is_default,
    segment: row.segment,
    policy: toReminderPolicy(row),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A policy replacement: the default flag is left as it is (set it when creating a policy). */
export const PolicyReplacementSchema = PolicyInputSchema.omit({ isDefault: true }).openapi(
  'ReminderPolicyReplacement',
);
