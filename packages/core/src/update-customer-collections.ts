import { type AuditEntry, appendAuditLog, type Customer, type Db } from '@settle/db';
import { isValidCurrency } from '@settle/domain';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { AppError } from './errors';
import { replanOpenInvoices } from './replan-open-invoices';

export const CustomerCollectionsSchema = z.object({
  /** Minor units; null removes the limit. */
  creditLimitMinor: z
    .number()
    .int('expected whole minor units')
    .nonnegative('must not be negative')
    .nullable(),
  creditLimitCurrency: z
    .string()
    .refine((value) => isValidCurrency(value), 'expected an ISO 4217 currency code')
    .nullable(),
  emailOptOut: z.boolean(),
  smsOptOut: z.boolean(),
  /** A policy of the organization assigned to this customer; null falls back to segment, then default. */
  reminderPolicyId: z.string().uuid('unknown policy').nullable(),
  segment: z.string().trim().max(60, 'at most 60 characters').nullable(),
});
export type CustomerCollections = z.infer<typeof CustomerCollectionsSchema>;

/**
 * Finance's collection settings for one customer: credit limit, opt-outs per channel, and the policy
 * or segment that decides its reminders. Running workflows pick a policy change up from their next
 * step (they re-read the policy before each send).
 */
export async function updateCustomerCollections(
  deps: { db: Db; temporal: Client },
  input: { organizationId: string; customerId: string; settings: unknown; actor: AuditEntry['actor'] },
): Promise<Customer> {
  const parsed = CustomerCollectionsSchema.safeParse(input.settings);
  const details = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
  if (
    parsed.success &&
    (parsed.data.creditLimitMinor === null) !== (parsed.data.creditLimitCurrency === null)
  ) {
    details.push({ field: 'creditLimitCurrency', message: 'a credit limit needs an amount and a currency' });
  }
  if (!parsed.success || details.length > 0) {
    throw new AppError('VALIDATION', 'invalid customer settings', { details });
  }
  const settings = parsed.data;
  const { db } = deps;
  const { customer, policyChanged } = await db.transaction().execute(async (tx) => {
    if (settings.reminderPolicyId) {
      const policy = await tx
        .selectFrom('reminder_policies')
        .select('id')
        .where('organization_id', '=', input.organizationId)
        .where('id', '=', settings.reminderPolicyId)
        .executeTakeFirst();
      if (!policy) {
        throw new AppError('VALIDATION', 'unknown policy', {
          details: [{ field: 'reminderPolicyId', message: 'unknown policy' }],
        });
      }
    }
    const before = await tx
      .selectFrom('customers')
      .select(['reminder_policy_id', 'segment'])
      .where('organization_id', '=', input.organizationId)
      .where('id', '=', input.customerId)
      .forUpdate()
      .executeTakeFirst();
    const updated = await tx
      .updateTable('customers')
      .set({
        credit_limit_minor: settings.creditLimitMinor,
        credit_limit_currency: settings.creditLimitCurrency,
        email_opt_out: settings.emailOptOut,
        sms_opt_out: settings.smsOptOut,
        reminder_policy_id: settings.reminderPolicyId,
        segment: settings.segment === '' ? null : settings.segment,
        updated_at: new Date(),
      })
      .where('organization_id', '=', input.organizationId)
      .where('id', '=', input.customerId)
      .returningAll()
      .executeTakeFirst();
    if (!updated || !before) {
      throw new AppError('NOT_FOUND', `customer ${input.customerId} not found`, {
        userMessage: 'Customer not found.',
      });
    }
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'customer.collections_updated',
      subject: { type: 'customer', id: updated.id },
      data: settings,
    });
    return {
      customer: updated,
      policyChanged:
        before.reminder_policy_id !== updated.reminder_policy_id || before.segment !== updated.segment,
    };
  });
  // A new policy or segment applies from the next step of the customer's running workflows.
  if (policyChanged) {
    await replanOpenInvoices(deps, { organizationId: input.organizationId, customerIds: [customer.id] });
  }
  return customer;
}
