import {
  appendAuditLog,
  clearDefaultReminderPolicy,
  type Db,
  inTransaction,
  type ReminderPolicyWithSteps,
} from '@settle/db';
import { AppError } from '../errors';
import { checkPolicyTemplates } from '../reminders/check-policy-templates';
import {
  parseReminderPolicyInput,
  policyConflict,
  policyFieldOf,
  type ReminderPolicyInput,
} from './reminder-policy-input';
import { saveReminderPolicy } from './reminder-policy-rows';

/**
 * Creates a reminder policy after validating it, including that every step's template exists in each
 * language the organization's customers use (nothing is written otherwise); making it the default
 * demotes the current default.
 */
export async function createReminderPolicy(
  deps: { db: Db },
  input: ReminderPolicyInput,
): Promise<ReminderPolicyWithSteps> {
  const policy = parseReminderPolicyInput(input);
  const missing = await checkPolicyTemplates(deps, { organizationId: input.organizationId, policy });
  if (missing.length > 0) {
    const details = missing.map((m) => ({ field: policyFieldOf(m.path), message: m.message }));
    throw new AppError(
      'VALIDATION',
      `policy templates missing: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      {
        userMessage: 'Some steps have no template in a language your customers use; see details.',
        details,
      },
    );
  }
  try {
    return await inTransaction(deps.db, async (tx) => {
      if (input.isDefault) await clearDefaultReminderPolicy(tx, input.organizationId);
      const saved = await saveReminderPolicy(tx, {
        organizationId: input.organizationId,
        name: input.name.trim(),
        isDefault: input.isDefault ?? false,
        ...(input.segment ? { segment: input.segment } : {}),
        policy,
      });
      await appendAuditLog(tx, {
        organizationId: input.organizationId,
        actor: input.actor,
        action: 'policy.created',
        subject: { type: 'reminder_policy', id: saved.id },
        data: { name: saved.name },
      });
      return saved;
    });
  } catch (error) {
    throw policyConflict(error) ?? error;
  }
}
