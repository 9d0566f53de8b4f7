import { appendAuditLog, type Customer, type Db, getCustomer, inTransaction } from '@settle/db';
import { AppError } from '../errors';
import {
  type CustomerActor,
  checkCustomerPolicy,
  customerColumns,
  duplicateCustomerCode,
  invalidCustomer,
  isUniqueViolation,
  type UpdateCustomerInput,
  UpdateCustomerSchema,
} from './customer-fields';

/** Changes the given fields of a debtor; an unknown (or another tenant's) customer is NOT_FOUND. */
export async function updateCustomer(
  deps: { db: Db },
  input: { organizationId: string; customerId: string; changes: UpdateCustomerInput; actor: CustomerActor },
): Promise<Customer> {
  const parsed = UpdateCustomerSchema.safeParse(input.changes);
  if (!parsed.success) throw invalidCustomer(parsed.error);
  const data = parsed.data;
  if (!(await getCustomer(deps.db, input.organizationId, input.customerId))) {
    throw new AppError('NOT_FOUND', `customer ${input.customerId} not found`, {
      userMessage: 'Customer not found.',
    });
  }
  await checkCustomerPolicy(deps.db, input.organizationId, data.reminderPolicyId);
  try {
    return await inTransaction(deps.db, async (tx) => {
      const row = await tx
        .updateTable('customers')
        .set({ ...customerColumns(data), updated_at: new Date() })
        .where('organization_id', '=', input.organizationId)
        .where('id', '=', input.customerId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAuditLog(tx, {
        organizationId: input.organizationId,
        actor: input.actor,
        action: 'customer.updated',
        subject: { type: 'customer', id: row.id },
        data: { fields: Object.keys(input.changes) },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCustomerCode(data.code);
    throw error;
  }
}
