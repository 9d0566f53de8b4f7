import {
  type Db,
  getCustomer,
  listCustomerInvoiceHistory,
  listCustomerPortalLinks,
  listReminderPolicyChoices,
} from '@settle/db';
import { getCustomerRisk } from './get-customer-risk';

/**
 * A customer's page in the console: the customer, its payment risk, its invoices, its portal links
 * and the policies it can be assigned to; null when the organization has no such customer.
 */
export async function getCustomerProfile(
  deps: { db: Db },
  input: { organizationId: string; customerId: string },
) {
  const { organizationId, customerId } = input;
  const customer = await getCustomer(deps.db, organizationId, customerId);
  if (!customer) return null;
  const [risk, invoices, links, policies] = await Promise.all([
    getCustomerRisk(deps.db, { organizationId, customerId, timeZone: customer.time_zone }),
    listCustomerInvoiceHistory(deps.db, organizationId, customerId),
    listCustomerPortalLinks(deps.db, organizationId, customerId),
    listReminderPolicyChoices(deps.db, organizationId),
  ]);
  return { customer, risk, invoices, links, policies };
}
