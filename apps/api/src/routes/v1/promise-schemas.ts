import { z } from '@hono/zod-openapi';
import type { PromiseToPay } from '@settle/db';

export const PromiseSchema = z
  .object({
    id: z.uuid(),
    invoiceId: z.uuid(),
    customerId: z.uuid(),
    date: z.string().openapi({ description: 'The promised payment date, YYYY-MM-DD.' }),
    status: z.enum(['active', 'kept', 'missed', 'cancelled']),
    note: z.string().nullable(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('PromiseToPay');

export function toPromiseDto(row: PromiseToPay): z.infer<typeof PromiseSchema> {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    customerId: row.customer_id,
    date: row.promised_date,
    status: row.status,
    note: row.note,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
  };
}
