import { type Db, listCustomersOverview } from '@settle/db';

/** The console's customer list: every customer with its open balances per currency and open disputes. */
export function listCustomers(
  deps: { db: Db },
  input: { organizationId: string },
): ReturnType<typeof listCustomersOverview> {
  return listCustomersOverview(deps.db, input.organizationId);
}
