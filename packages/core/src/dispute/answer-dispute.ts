import { AppError } from '../errors';
import type { InvoiceEventDeps } from '../invoice/invoice-event-deps';
import { resolveInvoiceDispute } from './resolve-invoice-dispute';

/**
 * Finance answers a dispute from the console. Rejected: the note is the reply the debtor reads in the
 * portal, so it is required, and reminders resume. Upheld: the invoice is voided (a credit in full)
 * and its workflow ends; the note is optional.
 */
export async function answerDispute(
  deps: InvoiceEventDeps,
  input: {
    organizationId: string;
    disputeId: string;
    outcome: string;
    note: string;
    actor: { type: 'user'; id: string };
  },
): Promise<{ invoiceId: string; outcome: 'upheld' | 'rejected' }> {
  const outcome = input.outcome;
  if (outcome !== 'upheld' && outcome !== 'rejected') {
    throw new AppError('VALIDATION', `unknown outcome ${outcome}`, {
      details: [{ field: 'outcome', message: 'choose upheld or rejected' }],
    });
  }
  const note = input.note.trim();
  if (outcome === 'rejected' && note === '') {
    throw new AppError('VALIDATION', 'a rejection needs a reply to the debtor', {
      details: [{ field: 'note', message: 'write the reply the customer will read' }],
    });
  }
  if (note.length > 4000) {
    throw new AppError('VALIDATION', 'note too long', {
      details: [{ field: 'note', message: 'at most 4000 characters' }],
    });
  }
  const { invoiceId } = await resolveInvoiceDispute(deps, {
    organizationId: input.organizationId,
    disputeId: input.disputeId,
    outcome,
    note,
    actor: input.actor,
  });
  return { invoiceId, outcome };
}
