import { z } from '@hono/zod-openapi';
import type { Invoice, InvoiceLine } from '@settle/db';

export const InvoiceLineSchema = z
  .object({
    description: z.string(),
    quantityMilli: z.number().int(),
    unitPriceMinor: z.number().int(),
    taxRateBasisPoints: z.number().int(),
    totalMinor: z.number().int(),
  })
  .openapi('InvoiceLine');

export const InvoiceStatusSchema = z.enum(['open', 'paid', 'void', 'written_off', 'in_collections']);

export const InvoiceSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    externalId: z.string().nullable(),
    customerId: z.uuid(),
    currency: z.string(),
    totalMinor: z.number().int(),
    paidMinor: z.number().int(),
    balanceMinor: z.number().int(),
    issueDate: z.string(),
    dueDate: z.string(),
    status: InvoiceStatusSchema,
    paymentPending: z.boolean(),
    remindersPaused: z.boolean(),
    paidAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lines: z
      .array(InvoiceLineSchema)
      .optional()
      .openapi({ description: 'Present when one invoice is read.' }),
  })
  .openapi('Invoice');
export type InvoiceDto = z.infer<typeof InvoiceSchema>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toInvoiceDto(row: Invoice, lines?: InvoiceLine[]): InvoiceDto {
  const total = Number(row.total_minor);
  const paid = Number(row.paid_minor);
  return {
    id: row.id,
    number: row.number,
    externalId: row.external_id,
    customerId: row.customer_id,
    currency: row.currency,
    totalMinor: total,
    paidMinor: paid,
    balanceMinor: total - paid,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    status: row.status,
    paymentPending: row.payment_pending,
    remindersPaused: row.paused_at !== null,
    paidAt: iso(row.paid_at),
    closedAt: iso(row.closed_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(lines
      ? {
          lines: lines.map((line) => ({
            description: line.description,
            quantityMilli: Number(line.quantity_milli),
            unitPriceMinor: Number(line.unit_price_minor),
            taxRateBasisPoints: line.tax_rate_basis_points,
            totalMinor: Number(line.total_minor),
          })),
        }
      : {}),
  };
}

/** The invoice id of routes under `/v1/invoices/{id}/…`. */
export const InvoiceIdParamSchema = z.object({
  id: z.uuid({ error: 'expected an invoice id (uuid)' }).openapi({ param: { name: 'id', in: 'path' } }),
});
