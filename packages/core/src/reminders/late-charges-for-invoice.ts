import { type Customer, type DbOrTx, type Invoice, listStatutoryRates, type Organization } from '@settle/db';
import {
  computeStatutoryLateCharges,
  DomainError,
  lateChargesRuleFor,
  type ReminderPolicy,
  type StatutoryLateCharges,
  type StatutoryRate,
  statutoryRatesNeeded,
} from '@settle/domain';
import { AppError } from '../errors';

export interface LateChargesForInvoiceInput {
  organization: Pick<Organization, 'id' | 'country'>;
  customer: Pick<Customer, 'country'>;
  invoice: Pick<Invoice, 'currency' | 'total_minor' | 'paid_minor' | 'due_date'>;
  policy: Pick<ReminderPolicy, 'lateCharges' | 'lateChargesJurisdiction'>;
  /** The day the charges are stated for: the customer's local today. */
  asOf: string;
}

/**
 * The statutory late charges an invoice carries on `asOf`, with their calculation, or null when the
 * policy claims none or no statute gives a claim (see `lateChargesRuleFor`). Interest runs on the open
 * balance; the compensation tier follows the invoice total. Rates come from `statutory_rates`, the
 * organization's own rows before the built-in ones. Throws UNAVAILABLE when a rate the late period
 * needs is not on record: a letter must not claim a figure computed from a guessed rate.
 */
export async function lateChargesForInvoice(
  db: DbOrTx,
  input: LateChargesForInvoiceInput,
): Promise<StatutoryLateCharges | null> {
  const { organization, customer, invoice, policy } = input;
  if (!policy.lateCharges) return null;
  const rule = lateChargesRuleFor({
    creditorCountry: organization.country,
    debtorCountry: customer.country,
    override: policy.lateChargesJurisdiction,
  });
  if (!rule) return null;
  const needed = statutoryRatesNeeded({
    rule,
    currency: invoice.currency,
    dueDate: invoice.due_date,
    asOf: input.asOf,
  });
  const rows = await Promise.all(
    needed.map(({ kind, from, to }) => listStatutoryRates(db, organization.id, { kinds: [kind], from, to })),
  );
  const rates: StatutoryRate[] = rows.flat().map((row) => ({
    kind: row.kind,
    validFrom: row.valid_from,
    basisPoints: row.basis_points,
  }));
  try {
    return computeStatutoryLateCharges({
      rule,
      principal: {
        amountMinor: Math.max(0, invoice.total_minor - invoice.paid_minor),
        currency: invoice.currency,
      },
      debt: { amountMinor: invoice.total_minor, currency: invoice.currency },
      dueDate: invoice.due_date,
      asOf: input.asOf,
      rates,
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'invalid_input') {
      throw new AppError('UNAVAILABLE', `late charges not computable: ${error.message}`, {
        userMessage: 'A reference rate for this period is not on record yet; add it under statutory rates.',
        cause: error,
      });
    }
    throw error;
  }
}
