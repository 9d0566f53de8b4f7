import { appendAuditLog, type Customer, type Db, inTransaction } from '@settle/db';
import {
  type CreateCustomerInput,
  CreateCustomerSchema,
  type CustomerActor,
  checkCustomerPolicy,
  customerColumns,
  duplicateCustomerCode,
  invalidCustomer,
  isUniqueViolation,
} from './customer-fields';

/** Creates a debtor; every bad field is named and nothing is written. Codes are unique per organization. */
export async function createCustomer(
  deps: { db: Db },
  input: { organizationId: string; customer: CreateCustomerInput; actor: CustomerActor },
): Promise<Customer> {
  const parsed = CreateCustomerSchema.safeParse(input.customer);
  if (!parsed.success) throw invalidCustomer(parsed.error);
  const data = parsed.data;
  await checkCustomerPolicy(deps.db, input.organizationId, data.reminderPolicyId);
  try {
    return await inTransaction(deps.db, async (tx) => {
      const row = await tx
        .insertInto('customers')
        .values({
          organization_id: input.organizationId,
          code: data.code,
          name: data.name,
          country: data.country,
          locale: data.locale,
          time_zone: data.timeZone,
          ...customerColumns(data),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAuditLog(tx, {
        organizationId: input.organizationId,
        actor: input.actor,
        action: 'customer.created',
        subject: { type: 'customer', id: row.id },
        data: { code: row.code },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCustomerCode(data.code);
    throw error;
  }
}
