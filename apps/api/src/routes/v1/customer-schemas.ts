import { z } from '@hono/zod-openapi';
import type { Customer } from '@settle/db';

export const CustomerSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    contactName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    vatNumber: z.string().nullable(),
    registrationNumber: z.string().nullable(),
    addressLine1: z.string().nullable(),
    addressLine2: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string(),
    locale: z.string(),
    timeZone: z.string(),
    segment: z.string().nullable(),
    reminderPolicyId: z.uuid().nullable(),
    creditLimit: z.object({ amountMinor: z.number().int(), currency: z.string() }).nullable(),
    creditBalanceMinor: z.number().int(),
    emailOptOut: z.boolean(),
    smsOptOut: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Customer');
export type CustomerDto = z.infer<typeof CustomerSchema>;

export function toCustomerDto(row: Customer): CustomerDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    contactName: row.contact_name,
    email: row.email,
    phone: row.phone,
    vatNumber: row.vat_number,
    registrationNumber: row.registration_number,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    postalCode: row.postal_code,
    city: row.city,
    country: row.country,
    locale: row.locale,
    timeZone: row.time_zone,
    segment: row.segment,
    reminderPolicyId: row.reminder_policy_id,
    creditLimit:
      row.credit_limit_minor !== null && row.credit_limit_currency !== null
        ? { amountMinor: Number(row.credit_limit_minor), currency: row.credit_limit_currency }
        : null,
    creditBalanceMinor: Number(row.credit_balance_minor),
    emailOptOut: row.email_opt_out,
    smsOptOut: row.sms_opt_out,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
