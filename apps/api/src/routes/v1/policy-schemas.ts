import { z } from '@hono/zod-openapi';
import { toReminderPolicy } from '@settle/core';
import type { ReminderPolicyWithSteps } from '@settle/db';
import { DEFAULT_POLICY, LATE_CHARGES_JURISDICTIONS, POLICY_PRESET_IDS } from '@settle/domain';

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
    businessDaysOnly: z.boolean().openapi({
      description:
        "Send on the customer's business days only (weekends and its country's public holidays skipped); false = every day. Defaults to true when left out on write.",
      example: DEFAULT_POLICY.businessDaysOnly,
    }),
    lateCharges: z.boolean(),
    promiseGraceDays: z.number().int(),
    maxPromiseDays: z.number().int(),
    maxPromiseRenewals: z.number().int().openapi({
      description:
        'How many times a debtor may replace a promise to pay on one invoice (0-10; 0 = one promise, never renewed). Defaults to 1 when left out on write.',
      example: DEFAULT_POLICY.maxPromiseRenewals,
    }),
    mergeAcrossChannels: z.boolean().openapi({
      description:
        "One message per customer per day across channels (the stronger step's channel wins); false = one per channel per day. Defaults to false when left out on write.",
      example: DEFAULT_POLICY.mergeAcrossChannels,
    }),
    lateChargesJurisdiction: z.enum(LATE_CHARGES_JURISDICTIONS).openapi({
      description:
        "The statutory late-payment rule claimed when lateCharges is on: 'auto' by the creditor's and debtor's countries, or one forced. Defaults to 'auto' when left out on write.",
      example: DEFAULT_POLICY.lateChargesJurisdiction,
    }),
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

const PolicyNameSchema = z.string().trim().min(1, 'required').max(100);
const PolicySegmentSchema = z.string().trim().min(1).max(64).nullable().optional();

/**
 * Rules to write. Validated by the domain (every problem named, e.g. `policy.steps.1.offsetDays`, and
 * a step whose template is missing in a language the organization's customers use), so here they are
 * only required to be an object.
 */
const PolicyRulesInputSchema = z.record(z.string(), z.unknown(), { error: 'expected an object' }).openapi({
  description:
    'Rules in the shape of PolicyRules. businessDaysOnly, maxPromiseRenewals, mergeAcrossChannels and lateChargesJurisdiction may be left out (older clients) and take their defaults.',
  example: {
    sendWindow: { start: '09:00', end: '17:00' },
    businessDaysOnly: true,
    lateCharges: false,
    promiseGraceDays: 2,
    maxPromiseDays: 30,
    maxPromiseRenewals: 1,
    mergeAcrossChannels: false,
    lateChargesJurisdiction: 'auto',
    steps: [
      {
        key: 'due',
        anchor: 'due_date',
        offsetDays: 0,
        channel: 'email',
        templateKey: 'due-day',
        escalation: 'courteous',
        minBalanceMinor: 0,
        onlyWhenOverdue: false,
        onlyIfUnpaidSincePrevious: false,
      },
    ],
  },
});

/**
 * A policy to create: either its rules (`policy`) or a built-in preset to copy (`preset`), not both.
 * A preset's copy is the organization's own and is edited like any other policy.
 */
export const PolicyInputSchema = z
  .object({
    name: PolicyNameSchema,
    isDefault: z.boolean().optional(),
    segment: PolicySegmentSchema,
    policy: PolicyRulesInputSchema.optional(),
    preset: z.enum(POLICY_PRESET_IDS).optional().openapi({
      description:
        "Create the policy as a copy of a built-in preset instead of sending its rules: 'default' (the e-mail, call, letter and collections sequence) or 'sms-scenario' (SMS only, collections after three weeks).",
      example: 'sms-scenario',
    }),
  })
  .superRefine((body, ctx) => {
    if ((body.policy === undefined) === (body.preset === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [body.policy === undefined ? 'policy' : 'preset'],
        message: 'send either policy (the rules) or preset (a built-in policy to copy), not both',
      });
    }
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

/** A policy replacement: the rules are required; the default flag is left as it is (set it on create). */
export const PolicyReplacementSchema = z
  .object({ name: PolicyNameSchema, segment: PolicySegmentSchema, policy: PolicyRulesInputSchema })
  .openapi('ReminderPolicyReplacement');
