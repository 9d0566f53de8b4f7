import { type Db, getReminderPolicy } from '@settle/db';
import { isValidCurrency, isValidTimeZone, SUPPORTED_LOCALES } from '@settle/domain';
import { z } from 'zod';
import { AppError } from '../errors';

const optionalText = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max).nullable().optional();

/** A debtor's fields as integrations send them; on update every field is optional. */
export const CustomerFieldsSchema = z.object({
  code: z.string().trim().min(1, 'required').max(64),
  name: z.string().trim().min(1, 'required').max(200),
  contactName: optionalText(200),
  email: z.email({ error: 'expected an e-mail address' }).nullable().optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number such as +4930123456')
    .nullable()
    .optional(),
  vatNumber: optionalText(32),
  registrationNumber: optionalText(64),
  addressLine1: optionalText(200),
  addressLine2: optionalText(200),
  postalCode: optionalText(16),
  city: optionalText(100),
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code such as DE'),
  locale: z.enum(SUPPORTED_LOCALES, { error: `expected one of ${SUPPORTED_LOCALES.join(', ')}` }),
  timeZone: z.string().refine(isValidTimeZone, 'expected an IANA time zone such as Europe/Berlin'),
  segment: optionalText(64),
  reminderPolicyId: z.uuid({ error: 'expected a policy id' }).nullable().optional(),
  creditLimit: z
    .object({
      amountMinor: z
        .number()
        .int('expected an integer of minor units')
        .min(0)
        .refine(Number.isSafeInteger, 'too large'),
      currency: z.string().refine(isValidCurrency, 'expected an ISO 4217 currency code such as EUR'),
    })
    .nullable()
    .optional(),
  emailOptOut: z.boolean().optional(),
  smsOptOut: z.boolean().optional(),
});
export const CreateCustomerSchema = CustomerFieldsSchema;
export const UpdateCustomerSchema = CustomerFieldsSchema.partial();
export type CreateCustomerInput = z.input<typeof CreateCustomerSchema>;
export type UpdateCustomerInput = z.input<typeof UpdateCustomerSchema>;

/** Who creates or changes a customer (audited). */
export type CustomerActor = { type: 'user' | 'api_key' | 'system'; id?: string };

/** A bad customer, every field named. */
export function invalidCustomer(error: z.ZodError): AppError {
  const details = error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
  return new AppError(
    'VALIDATION',
    `invalid customer: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    {
      userMessage: 'The customer is invalid; see details.',
      details,
    },
  );
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/** The given fields as `customers` columns (only those given). */
export function customerColumns(data: z.output<typeof UpdateCustomerSchema>) {
  return {
    ...(data.code !== undefined ? { code: data.code } : {}),
    ...(data.name !== undefined ? { name: data.name } : {}),
    ...(data.contactName !== undefined ? { contact_name: data.contactName } : {}),
    ...(data.email !== undefined ? { email: data.email } : {}),
    ...(data.phone !== undefined ? { phone: data.phone } : {}),
    ...(data.vatNumber !== undefined ? { vat_number: data.vatNumber } : {}),
    ...(data.registrationNumber !== undefined ? { registration_number: data.registrationNumber } : {}),
    ...(data.addressLine1 !== undefined ? { address_line1: data.addressLine1 } : {}),
    ...(data.addressLine2 !== undefined ? { address_line2: data.addressLine2 } : {}),
    ...(data.postalCode !== undefined ? { postal_code: data.postalCode } : {}),
    ...(data.city !== undefined ? { city: data.city } : {}),
    ...(data.country !== undefined ? { country: data.country } : {}),
    ...(data.locale !== undefined ? { locale: data.locale } : {}),
    ...(data.timeZone !== undefined ? { time_zone: data.timeZone } : {}),
    ...(data.segment !== undefined ? { segment: data.segment } : {}),
    ...(data.reminderPolicyId !== undefined ? { reminder_policy_id: data.reminderPolicyId } : {}),
    ...(data.creditLimit !== undefined
      ? {
          credit_limit_minor: data.creditLimit?.amountMinor ?? null,
          credit_limit_currency: data.creditLimit?.currency ?? null,
        }
      : {}),
    ...(data.emailOptOut !== undefined ? { email_opt_out: data.emailOptOut } : {}),
    ...(data.smsOptOut !== undefined ? { sms_opt_out: data.smsOptOut } : {}),
  };
}

/** A policy named for a customer must be one of the organization's. */
export async function checkCustomerPolicy(
  db: Db,
  organizationId: string,
  policyId: string | null | undefined,
) {
  if (!policyId) return;
  if (!(await getReminderPolicy(db, organizationId, policyId))) {
    throw new AppError('VALIDATION', `policy ${policyId} not found`, {
      details: [{ field: 'reminderPolicyId', message: 'no such reminder policy' }],
    });
  }
}

export const duplicateCustomerCode = (code: string | undefined) =>
  new AppError('CONFLICT', `customer code ${code} exists`, {
    userMessage: `A customer with code ${code} already exists.`,
    details: [{ field: 'code', message: 'already used by another customer' }],
  });
