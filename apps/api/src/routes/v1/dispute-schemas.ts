import { z } from '@hono/zod-openapi';
import type { Dispute } from '@settle/db';

export const DisputeSchema = z
  .object({
    id: z.uuid(),
    invoiceId: z.uuid(),
    customerId: z.uuid(),
    reason: z.enum(['not_received', 'wrong_amount', 'already_paid', 'quality', 'other']),
    message: z.string(),
    status: z.enum(['open', 'upheld', 'rejected']),
    resolutionNote: z.string().nullable(),
    openedAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('Dispute');

export function toDisputeDto(row: Dispute): z.infer<typeof DisputeSchema> {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    customerId: row.customer_id,
    reason: row.reason,
    message: row.message,
    status: row.status,
    resolutionNote: row.resolution_note,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at ? row.resolved_at.toISOString() : null,
  };
}
