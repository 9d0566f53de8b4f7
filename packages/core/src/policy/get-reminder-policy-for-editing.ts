import { type Db, getReminderPolicy, listTemplateKeys, type ReminderPolicyWithSteps } from '@settle/db';
import type { ReminderPolicy } from '@settle/domain';
import { toReminderPolicy } from './reminder-policy-rows';

/** A policy of the organization as the editor shows it, with the template keys a step may use; null if none. */
export async function getReminderPolicyForEditing(
  deps: { db: Db },
  input: { organizationId: string; policyId: string },
): Promise<{ row: ReminderPolicyWithSteps; policy: ReminderPolicy; templateKeys: string[] } | null> {
  const row = await getReminderPolicy(deps.db, input.organizationId, input.policyId);
  if (!row) return null;
  return {
    row,
    policy: toReminderPolicy(row),
    templateKeys: await listTemplateKeys(deps.db, input.organizationId),
  };
}
