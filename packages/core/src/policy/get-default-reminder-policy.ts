import { type Db, findDefaultReminderPolicy } from '@settle/db';
import { DEFAULT_POLICY, type ReminderPolicy } from '@settle/domain';
import { toReminderPolicy } from './reminder-policy-rows';

/** What a new policy starts from: a copy of the organization's default policy, else the built-in default. */
export async function getDefaultReminderPolicy(
  deps: { db: Db },
  input: { organizationId: string },
): Promise<ReminderPolicy> {
  const row = await findDefaultReminderPolicy(deps.db, input.organizationId);
  return row ? toReminderPolicy(row) : DEFAULT_POLICY;
}
