import type { AuditEntry, Db, ReminderPolicyWithSteps } from '@settle/db';
import { findPolicyPreset, POLICY_PRESETS } from '@settle/domain';
import { AppError } from '../errors';
import { createReminderPolicy } from './create-reminder-policy';

/**
 * Creates a policy as a copy of a built-in preset (`default`, `sms-scenario`, …), named after the
 * preset unless a name is given; a name another policy has is refused as a CONFLICT on `name`, as for
 * any new policy. The copy is the organization's own: later changes to the preset do not reach it.
 */
export async function createPolicyFromPreset(
  deps: { db: Db },
  input: {
    organizationId: string;
    /** Untrusted: from a form or request body. */
    presetId: string;
    name?: string;
    isDefault?: boolean;
    segment?: string | null;
    actor: AuditEntry['actor'];
  },
): Promise<ReminderPolicyWithSteps> {
  const preset = findPolicyPreset(input.presetId);
  if (!preset) {
    const known = POLICY_PRESETS.map((p) => `'${p.id}'`).join(', ');
    throw new AppError('VALIDATION', `unknown policy preset ${JSON.stringify(input.presetId)}`, {
      userMessage: 'Choose one of the built-in policies.',
      details: [{ field: 'preset', message: `must be one of ${known}` }],
    });
  }
  return createReminderPolicy(deps, {
    organizationId: input.organizationId,
    name: input.name?.trim() ? input.name : preset.name,
    ...(input.isDefault !== undefined ? { isDefault: input.isDefault } : {}),
    ...(input.segment !== undefined ? { segment: input.segment } : {}),
    policy: preset.policy,
    actor: input.actor,
  });
}
