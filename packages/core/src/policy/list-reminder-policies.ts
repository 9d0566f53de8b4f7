import { type Db, listReminderPoliciesOverview } from '@settle/db';

/** The console's policy list: name, segment, default, number of steps and of customers assigned. */
export function listReminderPolicies(
  deps: { db: Db },
  input: { organizationId: string },
): ReturnType<typeof listReminderPoliciesOverview> {
  return listReminderPoliciesOverview(deps.db, input.organizationId);
}
