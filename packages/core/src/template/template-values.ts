import type { Customer, Invoice, Organization } from '@settle/db';
import { buildTemplateValues, type StatutoryLateCharges, type TemplateInvoice } from '@settle/domain';

/** An invoice as templates see it. */
export function toTemplateInvoice(
  invoice: Pick<Invoice, 'number' | 'currency' | 'total_minor' | 'paid_minor' | 'due_date'>,
): TemplateInvoice {
  return {
    number: invoice.number,
    currency: invoice.currency,
    totalMinor: invoice.total_minor,
    balanceMinor: invoice.total_minor - invoice.paid_minor,
    dueDate: invoice.due_date,
  };
}

/**
 * The variables of a message from the rows it is about: what the worker sends and what the finance
 * console previews are built by this one mapping, so a preview shows exactly what would go out.
 */
export function templateValuesFor(input: {
  organization: Organization;
  customer: Customer;
  locale: string;
  today: string;
  portalUrl: string;
  invoices: Invoice[];
  customerInvoices: Invoice[];
  charges?: StatutoryLateCharges | undefined;
  /** A promise-to-pay notice names the promised date. */
  promiseDate?: string | undefined;
}): Record<string, string> {
  const { organization, customer } = input;
  return buildTemplateValues({
    locale: input.locale,
    today: input.today,
    portalUrl: input.portalUrl,
    organization: {
      name: organization.legal_name,
      addressLines: [
        organization.address_line1,
        organization.address_line2,
        `${organization.postal_code} ${organization.city}`,
      ].filter((line): line is string => Boolean(line)),
      city: organization.city,
      vatNumber: organization.vat_number,
      registrationNumber: organization.registration_number,
      logoUrl: organization.logo_url,
      bank: {
        accountHolder: organization.bank_account_holder,
        iban: organization.bank_iban,
        bic: organization.bank_bic,
        bankName: organization.bank_name,
      },
    },
    signatory: {
      name: organization.signatory_name,
      email: organization.sender_email,
      phone: organization.sender_phone,
    },
    customer: {
      name: customer.name,
      code: customer.code,
      addressLines: [
        customer.address_line1,
        customer.address_line2,
        [customer.postal_code, customer.city].filter(Boolean).join(' '),
      ].filter((line): line is string => Boolean(line)),
      vatNumber: customer.vat_number,
    },
    invoices: input.invoices.map(toTemplateInvoice),
    customerInvoices: input.customerInvoices.map(toTemplateInvoice),
    ...(input.charges ? { charges: input.charges } : {}),
    ...(input.promiseDate ? { promiseDate: input.promiseDate } : {}),
  });
}
