import { type AuditEntry, type Customer, type Db, getCustomer } from '@settle/db';
import type { Client } from '@temporalio/client';
import { AppError } from '../errors';
import { replanOpenInvoices } from '../invoice/replan-open-invoices';
import type { UpdateCustomerInput } from './customer-fields';
import { updateCustomer } from './update-customer';

/**
 * Finance changes a customer from the console: contacts, credit limit, opt-outs per channel, and the
 * policy or segment that decides its reminders (validated and audited by `updateCustomer`). A new
 * policy or segment re-plans the customer's running workflows at once, so it applies from their next
 * step; opt-outs and contacts are read at every send anyway.
 */
export async function updateCustomerCollections(
  deps: { db: Db; temporal: Client },
  input: {
    organizationId: string;
    customerId: string;
    changes: UpdateCustomerInput;
    actor: AuditEntry['actor'] & { type: 'user' | 'api_key' | 'system' };
  },
): Promise<Customer> {
  const before = await getCustomer(deps.db, input.organizationId, input.customerId);
  if (!before) {
    throw new AppError('NOT_FOUND', `customer ${input.customerId} not found`, {
      userMessage: 'Customer not found.',
    });
  }
  const updated = await updateCustomer(deps, input);
  if (before.reminder_policy_id !== updated.reminder_policy_id || before.segment !== updated.segment) {
    await replanOpenInvoices(deps, { organizationId: input.organizationId, customerIds: [updated.id] });
  }
  return updated;
}
