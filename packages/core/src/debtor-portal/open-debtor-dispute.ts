import { type DisputeReason, findOpenDispute, insertDisputeAttachment } from '@settle/db';
import { z } from 'zod';
import { openInvoiceDispute } from '../dispute/open-invoice-dispute';
import { AppError } from '../errors';
import { assertDebtorRateLimit } from './assert-debtor-rate-limit';
import {
  type DebtorActionDeps,
  InvoiceIdSchema,
  ownOpenInvoices,
  validationError,
} from './debtor-action-checks';
import { type DebtorAttachment, validateAttachments } from './dispute-attachments';

export const DISPUTE_REASONS = [
  'not_received',
  'wrong_amount',
  'already_paid',
  'quality',
  'other',
] as const satisfies readonly DisputeReason[];

export const DebtorDisputeSchema = z.object({
  invoiceIds: z.array(InvoiceIdSchema).min(1, 'choose at least one invoice').max(50),
  reason: z.enum(DISPUTE_REASONS, { error: 'choose a reason' }),
  message: z.string().trim().min(1, 'required').max(4000, 'at most 4000 characters'),
});
export type DebtorDispute = z.infer<typeof DebtorDisputeSchema>;

/**
 * A debtor disputes one or more of its invoices, with a reason, a message and optional files. Each
 * invoice gets its own dispute (finance answers them one by one) and its reminders pause.
 */
export async function openDebtorDispute(
  deps: DebtorActionDeps,
  input: { organizationId: string; customerId: string; dispute: unknown; attachments: DebtorAttachment[] },
): Promise<{ disputeIds: string[] }> {
  const now = deps.now?.() ?? new Date();
  const parsed = DebtorDisputeSchema.safeParse(input.dispute);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const files = validateAttachments(input.attachments);
  const { organizationId, customerId } = input;
  const invoices = await ownOpenInvoices(deps.db, {
    organizationId,
    customerId,
    invoiceIds: parsed.data.invoiceIds,
  });
  await assertDebtorRateLimit(deps.db, {
    organizationId,
    customerId,
    kind: 'dispute',
    now,
    adding: invoices.length,
  });
  for (const invoice of invoices) {
    // Checked for all before any is opened, so a form naming one disputed invoice writes nothing.
    if (await findOpenDispute(deps.db, organizationId, invoice.id)) {
      throw new AppError('CONFLICT', `invoice ${invoice.number} already has an open dispute`, {
        userMessage: `Invoice ${invoice.number} is already disputed; finance will answer the open dispute.`,
      });
    }
  }
  const disputeIds: string[] = [];
  for (const invoice of invoices) {
    const { disputeId } = await openInvoiceDispute(deps, {
      organizationId,
      invoiceId: invoice.id,
      reason: parsed.data.reason,
      message: parsed.data.message,
      actor: { type: 'debtor', id: customerId },
    });
    for (const file of files) {
      await insertDisputeAttachment(deps.db, {
        organization_id: organizationId,
        dispute_id: disputeId,
        customer_id: customerId,
        filename: file.filename,
        content_type: file.contentType,
        size_bytes: file.content.byteLength,
        content: Buffer.from(file.content),
      });
    }
    disputeIds.push(disputeId);
  }
  return { disputeIds };
}
