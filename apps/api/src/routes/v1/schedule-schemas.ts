import { z } from '@hono/zod-openapi';

const ChannelSchema = z.enum(['email', 'sms', 'letter', 'call', 'collections']);
const EscalationSchema = z.enum(['courteous', 'firm', 'final', 'collections']);

const ConditionSchema = z
  .discriminatedUnion('condition', [
    z.object({ condition: z.literal('only_when_overdue') }),
    z.object({ condition: z.literal('only_if_unpaid_since_previous') }),
    z.object({
      condition: z.literal('min_balance'),
      minBalanceMinor: z.number().int(),
      metByCurrentBalance: z
        .boolean()
        .optional()
        .openapi({ description: 'Present when the open balance is known.' }),
    }),
  ])
  .openapi('ScheduleCondition', { description: 'A send-time condition that may still skip the step.' });

const ScheduleEntrySchema = z
  .object({
    stepId: z.string().openapi({ example: 'overdue-email#0' }),
    stepKey: z.string(),
    occurrence: z.number().int(),
    channel: ChannelSchema,
    templateKey: z.string(),
    escalation: EscalationSchema,
    sendAt: z.string().openapi({ description: 'ISO date-time (UTC)', example: '2026-11-12T08:05:00.000Z' }),
    localDate: z.string().openapi({ description: "In the customer's time zone", example: '2026-11-12' }),
    localTime: z.string().openapi({ description: "HH:MM in the customer's time zone", example: '09:05' }),
    timeZone: z.string().openapi({ example: 'Europe/Warsaw' }),
    utcOffset: z.string().openapi({ example: '+01:00' }),
    daysFromDue: z.number().int(),
    nominalDate: z.string().openapi({ description: 'Anchor date plus offset, before any move' }),
    movedBecause: z.array(z.enum(['weekend', 'holiday', 'kept_before_due'])),
    conditions: z.array(ConditionSchema),
    status: z.enum(['planned', 'past', 'dropped']),
    droppedBecause: z
      .enum(['before_issue_date', 'not_overdue_on_day', 'replaced_by', 'already_past'])
      .optional(),
    replacedBy: z.string().optional().openapi({ description: 'The step id sent in this one’s place' }),
    label: z.string().optional().openapi({ description: "Local date and time in the customer's locale" }),
  })
  .openapi('ScheduleEntry');

/** The planned messages of one invoice (or a sample), as `previewSchedule` in the domain returns them. */
export const SchedulePreviewSchema = z
  .object({
    issueDate: z.string(),
    dueDate: z.string(),
    timeZone: z.string(),
    country: z.string(),
    sendWindow: z.object({ start: z.string(), end: z.string() }),
    entries: z.array(ScheduleEntrySchema),
    afterPayment: z
      .object({
        stepKey: z.string(),
        channel: ChannelSchema,
        templateKey: z.string(),
        escalation: EscalationSchema,
        offsetDays: z.number().int(),
        when: z.string().openapi({ example: 'after full payment' }),
        conditions: z.array(ConditionSchema),
      })
      .nullable(),
  })
  .openapi('SchedulePreview');
