import { type DbOrTx, insertReminderPolicy, type ReminderPolicyWithSteps } from '@settle/db';
import type { ReminderPolicy } from '@settle/domain';

const hhmm = (time: string) => time.slice(0, 5);

/** The domain's view of a stored policy (what planning and workflows work with). */
export function toReminderPolicy(row: ReminderPolicyWithSteps): ReminderPolicy {
  return {
    sendWindow: { start: hhmm(row.send_window_start), end: hhmm(row.send_window_end) },
    businessDaysOnly: row.business_days_only,
    lateCharges: row.late_charges,
    promiseGraceDays: row.promise_grace_days,
    maxPromiseDays: row.max_promise_days,
    maxPromiseRenewals: row.max_promise_renewals,
    mergeAcrossChannels: row.merge_across_channels,
    lateChargesJurisdiction: row.late_charges_jurisdiction,
    steps: row.steps.map((step) => ({
      key: step.key,
      anchor: step.anchor,
      offsetDays: step.offset_days,
      channel: step.channel,
      templateKey: step.template_key,
      escalation: step.escalation,
      minBalanceMinor: step.min_balance_minor,
      onlyWhenOverdue: step.only_when_overdue,
      onlyIfUnpaidSincePrevious: step.only_if_unpaid_since_previous,
      ...(step.repeat_every_days
        ? {
            repeat: {
              everyDays: step.repeat_every_days,
              ...(step.repeat_max_times ? { maxTimes: step.repeat_max_times } : {}),
              ...(step.repeat_until_offset_days !== null
                ? { untilOffsetDays: step.repeat_until_offset_days }
                : {}),
            },
          }
        : {}),
    })),
  };
}

/** Stores a domain policy for an organization; call inside a transaction. */
export async function saveReminderPolicy(
  db: DbOrTx,
  options: {
    organizationId: string;
    name: string;
    isDefault?: boolean;
    segment?: string;
    policy: ReminderPolicy;
  },
): Promise<ReminderPolicyWithSteps> {
  const { policy } = options;
  return insertReminderPolicy(
    db,
    {
      organization_id: options.organizationId,
      name: options.name,
      is_default: options.isDefault ?? false,
      segment: options.segment ?? null,
      ...policyColumns(policy),
    },
    policy.steps.map(policyStepColumns),
  );
}

/** A policy's own columns (not its name, default flag or segment). */
export function policyColumns(policy: ReminderPolicy) {
  return {
    send_window_start: policy.sendWindow.start,
    send_window_end: policy.sendWindow.end,
    business_days_only: policy.businessDaysOnly,
    late_charges: policy.lateCharges,
    promise_grace_days: policy.promiseGraceDays,
    max_promise_days: policy.maxPromiseDays,
    max_promise_renewals: policy.maxPromiseRenewals,
    merge_across_channels: policy.mergeAcrossChannels,
    late_charges_jurisdiction: policy.lateChargesJurisdiction,
  };
}

/** A step's columns, as stored in `reminder_policy_steps`. */
export function policyStepColumns(step: ReminderPolicy['steps'][number]) {
  return {
    key: step.key,
    anchor: step.anchor,
    offset_days: step.offsetDays,
    channel: step.channel,
    template_key: step.templateKey,
    escalation: step.escalation,
    min_balance_minor: step.minBalanceMinor,
    only_when_overdue: step.onlyWhenOverdue,
    only_if_unpaid_since_previous: step.onlyIfUnpaidSincePrevious,
    repeat_every_days: step.repeat?.everyDays ?? null,
    repeat_max_times: step.repeat?.maxTimes ?? null,
    repeat_until_offset_days: step.repeat?.untilOffsetDays ?? null,
  };
}
