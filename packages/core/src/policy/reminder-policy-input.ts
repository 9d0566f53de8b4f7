import type { AuditEntry } from '@settle/db';
import { type ReminderPolicy, validatePolicy } from '@settle/domain';
import { AppError } from '../errors';

export interface ReminderPolicyInput {
  organizationId: string;
  name: string;
  isDefault?: boolean;
  segment?: string | null;
  /** Untrusted: checked here with the domain's rules, every problem named. */
  policy: unknown;
  actor: AuditEntry['actor'];
}

/** `steps[2].offsetDays` (the domain's path) → `policy.steps.2.offsetDays` (the request's field). */
export function policyFieldOf(path: string): string {
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  return dotted ? `policy.${dotted}` : 'policy';
}

/** Validates a policy input; throws VALIDATION naming each bad field. */
export function parseReminderPolicyInput(input: ReminderPolicyInput): ReminderPolicy {
  const details: { field: string; message: string }[] = [];
  if (input.name.trim() === '' || input.name.length > 100) {
    details.push({ field: 'name', message: 'expected 1 to 100 characters' });
  }
  const result = validatePolicy(input.policy);
  if (!result.ok)
    details.push(...result.errors.map((e) => ({ field: policyFieldOf(e.path), message: e.message })));
  if (details.length > 0 || !result.ok) {
    throw new AppError(
      'VALIDATION',
      `invalid policy: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      {
        userMessage: 'The policy is invalid; see details.',
        details,
      },
    );
  }
  return result.policy;
}

/** A unique violation on name or segment, told apart by constraint name, becomes a named CONFLICT. */
export function policyConflict(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== '23505')
    return undefined;
  const constraint = 'constraint' in error ? String(error.constraint) : '';
  const field = constraint.includes('segment') ? 'segment' : 'name';
  return new AppError('CONFLICT', `reminder policy ${field} taken (${constraint})`, {
    userMessage: `Another policy already has this ${field}.`,
    details: [{ field, message: `already used by another policy` }],
  });
}
