import { appendAuditLog, type Db, getCustomer, type Invoice, insertInvoice, inTransaction } from '@settle/db';
import { isValidCurrency, isValidDate } from '@settle/domain';
import { startInvoiceReminders } from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { AppError } from '../errors';

const minor = z.number().int('expected an integer of minor units').refine(Number.isSafeInteger, 'too large');

export const CreateInvoiceSchema = z
  .object({
    customerId: z.uuid({ error: 'expected a customer id' }),
    number: z.string().trim().min(1, 'required').max(64),
    externalId: z.string().trim().min(1).max(128).optional(),
    currency: z.string().refine(isValidCurrency, 'expected an ISO 4217 currency code such as EUR'),
    issueDate: z.string().refine(isValidDate, 'expected a date YYYY-MM-DD'),
    dueDate: z.string().refine(isValidDate, 'expected a date YYYY-MM-DD'),
    lines: z
      .array(
        z.object({
          description: z.string().trim().min(1, 'required'),
          quantityMilli: z.number().int().positive('expected a positive quantity in thousandths'),
          unitPriceMinor: minor,
          taxRateBasisPoints: z.number().int().min(0).max(10_000).default(0),
        }),
      )
      .min(1, 'an invoice needs at least one line'),
  })
  .refine((v) => v.dueDate >= v.issueDate, { path: ['dueDate'], message: 'must not be before issueDate' });
export type CreateInvoiceInput = z.input<typeof CreateInvoiceSchema>;

/**
 * A line's total in minor units: quantity × unit price, plus tax, rounded once per line, half away
 * from zero (so a credit line of −10.005 is −10.01, the mirror of +10.01).
 */
export function lineTotalMinor(line: {
  quantityMilli: number;
  unitPriceMinor: number;
  taxRateBasisPoints: number;
}): number {
  const net = BigInt(line.quantityMilli) * BigInt(line.unitPriceMinor); // thousandths of a minor unit
  const gross = net * BigInt(10_000 + line.taxRateBasisPoints); // and ten-thousandths of that
  const divisor = 10_000_000n;
  // BigInt division truncates toward zero: round the magnitude, then put the sign back.
  const magnitude = gross < 0n ? -gross : gross;
  const rounded = (magnitude * 2n + divisor) / (2n * divisor);
  return Number(gross < 0n ? -rounded : rounded);
}

/**
 * Creates an invoice with its lines and starts its reminder workflow. Bad input is refused with every
 * problem named and nothing written; if Temporal is unreachable the invoice still exists and the
 * workflow is started by the next call of `startInvoiceReminders` (the demo start-up does this for all
 * open invoices).
 */
export async function createInvoice(
  deps: { db: Db; temporal: Client; taskQueue?: string },
  input: { organizationId: string; invoice: CreateInvoiceInput },
): Promise<{ invoice: Invoice; workflowStarted: boolean }> {
  const { organizationId } = input;
  const parsed = CreateInvoiceSchema.safeParse(input.invoice);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw new AppError(
      'VALIDATION',
      `invalid invoice: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      {
        details,
      },
    );
  }
  const data = parsed.data;
  const lines = data.lines.map((line) => ({ ...line, totalMinor: lineTotalMinor(line) }));
  const total = lines.reduce((sum, line) => sum + line.totalMinor, 0);
  if (total <= 0) {
    throw new AppError('VALIDATION', 'invoice total must be positive', {
      details: [{ field: 'lines', message: 'the lines must add up to a positive total' }],
    });
  }
  const invoice = await inTransaction(deps.db, async (tx) => {
    if (!(await getCustomer(tx, organizationId, data.customerId))) {
      throw new AppError('VALIDATION', `customer ${data.customerId} not found`, {
        details: [{ field: 'customerId', message: 'no such customer' }],
      });
    }
    const duplicate = await tx
      .selectFrom('invoices')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('number', '=', data.number)
      .executeTakeFirst();
    if (duplicate) {
      throw new AppError('CONFLICT', `invoice number ${data.number} exists`, {
        details: [{ field: 'number', message: 'already used by another invoice' }],
      });
    }
    const row = await insertInvoice(tx, {
      organization_id: organizationId,
      customer_id: data.customerId,
      number: data.number,
      external_id: data.externalId ?? null,
      currency: data.currency,
      total_minor: total,
      issue_date: data.issueDate,
      due_date: data.dueDate,
      lines: lines.map((line) => ({
        description: line.description,
        quantity_milli: line.quantityMilli,
        unit_price_minor: line.unitPriceMinor,
        tax_rate_basis_points: line.taxRateBasisPoints,
        total_minor: line.totalMinor,
      })),
    });
    await appendAuditLog(tx, {
      organizationId,
      actor: { type: 'system' },
      action: 'invoice.created',
      subject: { type: 'invoice', id: row.id },
      data: { number: row.number, totalMinor: total },
    });
    return row;
  });
  try {
    await startInvoiceReminders(
      deps.temporal,
      invoice.id,
      deps.taskQueue ? { taskQueue: deps.taskQueue } : {},
    );
    return { invoice, workflowStarted: true };
  } catch {
    return { invoice, workflowStarted: false };
  }
}
