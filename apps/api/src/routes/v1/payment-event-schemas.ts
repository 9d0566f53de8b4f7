import { z } from '@hono/zod-openapi';
import type { UnappliedPaymentEvent } from '@settle/core';

export const UnappliedPaymentEventSchema = z
  .object({
    id: z.uuid(),
    provider: z.enum(['stripe', 'gocardless']),
    eventId: z.string().openapi({ description: "The provider's event id.", example: 'evt_1Q…' }),
    type: z.string().openapi({ example: 'checkout.session.completed' }),
    receivedAt: z.string(),
    error: z
      .string()
      .nullable()
      .openapi({ description: 'Why the last attempt did not apply it; null when none has run.' }),
    workflowId: z.string().openapi({ example: 'payment-stripe-evt_1Q…' }),
    workflow: z
      .enum(['running', 'completed', 'failed', 'terminated', 'timed_out', 'cancelled', 'none', 'unknown'])
      .openapi({
        description:
          'Where its payment event workflow stands: `running` is still retrying; `none` never started; ' +
          '`unknown` when Temporal could not be asked.',
      }),
    canRerun: z.boolean().openapi({ description: 'No run is in flight, so a re-run starts one now.' }),
  })
  .openapi('UnappliedPaymentEvent');

export function toUnappliedPaymentEventDto(
  row: UnappliedPaymentEvent,
): z.infer<typeof UnappliedPaymentEventSchema> {
  return {
    id: row.id,
    provider: row.provider,
    eventId: row.eventId,
    type: row.type,
    receivedAt: row.receivedAt.toISOString(),
    error: row.error,
    workflowId: row.workflowId,
    workflow: row.workflow,
    canRerun: row.canRerun,
  };
}
