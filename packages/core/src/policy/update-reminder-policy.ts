import { type AuditEntry, appendAuditLog, type Db, getReminderPolicy, inTransaction } from '@settle/db';
import { validatePolicy } from '@settle/domain';
import type { Client } from '@temporalio/client';
import { AppError } from '../errors';
import { replanOpenInvoices } from '../invoice/replan-open-invoices';
import { checkPolicyTemplates } from '../reminders/check-policy-templates';
import { policyColumns, policyStepColumns } from './reminder-policy-rows';

/**
 * Replaces a policy's settings and steps after validating them (every problem named by its path, e.g.
 * `steps[2].offsetDays`, including a step whose template is missing in a language the organization's
 * customers use), and assigns it to a segment. The organization's running workflows re-plan at
 * once (a segment change can move customers between policies), so the change applies from their next
 * step; steps already sent are not sent again and missed ones are skipped.
 */
export async function updateReminderPolicy(
  deps: { db: Db; temporal: Client },
  input: {
    organizationId: string;
    policyId: string;
    name: string;
    segment: string | null;
    policy: unknown;
    actor: AuditEntry['actor'];
  },
): Promise<{ replanned: number }> {
  const validation = validatePolicy(input.policy);
  // Templates are only looked up for a policy whose steps are well-formed.
  const problems = validation.ok
    ? await checkPolicyTemplates(deps, { organizationId: input.organizationId, policy: validation.policy })
    : validation.errors;
  const details = problems.map((e) => ({ field: e.path, message: e.message }));
  if (input.name.trim() === '') details.push({ field: 'name', message: 'required' });
  if (!validation.ok || details.length > 0) {
    throw new AppError(
      'VALIDATION',
      `invalid reminder policy: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      { userMessage: 'The policy is invalid; see the fields marked below.', details },
    );
  }
  const policy = validation.policy;
  const segment = input.segment?.trim() ? input.segment.trim() : null;
  const now = new Date();
  await inTransaction(deps.db, async (tx) => {
    const existing = await getReminderPolicy(tx, input.organizationId, input.policyId);
    if (!existing) {
      throw new AppError('NOT_FOUND', `policy ${input.policyId} not found`, {
        userMessage: 'Policy not found.',
      });
    }
    if (segment) {
      const clash = await tx
        .selectFrom('reminder_policies')
        .select('name')
        .where('organization_id', '=', input.organizationId)
        .where('segment', '=', segment)
        .where('id', '!=', existing.id)
        .executeTakeFirst();
      if (clash) {
        throw new AppError('VALIDATION', `segment ${segment} already has a policy`, {
          details: [{ field: 'segment', message: `already assigned to policy "${clash.name}"` }],
        });
      }
    }
    await tx
      .updateTable('reminder_policies')
      .set({
        name: input.name.trim(),
        segment,
        ...policyColumns(policy),
        updated_at: now,
      })
      .where('id', '=', existing.id)
      .execute();
    await tx.deleteFrom('reminder_policy_steps').where('policy_id', '=', existing.id).execute();
    if (policy.steps.length > 0) {
      await tx
        .insertInto('reminder_policy_steps')
        .values(
          policy.steps.map((step, position) => ({
            organization_id: input.organizationId,
            policy_id: existing.id,
            position,
            ...policyStepColumns(step),
          })),
        )
        .execute();
    }
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'policy.updated',
      subject: { type: 'reminder_policy', id: existing.id },
      data: { name: input.name.trim(), segment, steps: policy.steps.length },
    });
  });
  const replanned = await replanOpenInvoices(deps, { organizationId: input.organizationId });
  return { replanned };
}
