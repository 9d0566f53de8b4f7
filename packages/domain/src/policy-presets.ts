import { DEFAULT_POLICY, type ReminderPolicy } from './policy';

/**
 * The SMS-only sequence: an SMS on issue day, two days before the due date, on it, and from two days
 * after it weekly while unpaid; after three weeks unpaid the SMS stop and finance gets a collections
 * hand-over task. A thank-you SMS follows full payment. Its templates are SMS_SCENARIO_TEMPLATES.
 */
export const SMS_SCENARIO_POLICY: ReminderPolicy = {
  sendWindow: { start: '09:00', end: '17:00' },
  businessDaysOnly: true,
  // No step states statutory charges to the debtor (there is no final notice letter), so the portal
  // does not show them either; the collections task suggests a letter that claims them.
  lateCharges: false,
  promiseGraceDays: 2,
  maxPromiseDays: 30,
  maxPromiseRenewals: 1,
  // One channel talks to the debtor; the collections task is for finance and must never be folded
  // into an SMS, so there is nothing to merge across channels.
  mergeAcrossChannels: false,
  lateChargesJurisdiction: 'auto',
  steps: [
    {
      key: 'issue-sms',
      anchor: 'issue_date',
      offsetDays: 0,
      channel: 'sms',
      templateKey: 'sms-invoice-issued',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
    {
      key: 'pre-due-sms',
      anchor: 'due_date',
      offsetDays: -2,
      channel: 'sms',
      templateKey: 'sms-pre-due',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
    {
      key: 'due-day-sms',
      anchor: 'due_date',
      offsetDays: 0,
      channel: 'sms',
      templateKey: 'sms-due-day',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
    {
      // Days 2, 9 and 16 after the due date; the last bound keeps day 23 from overlapping the hand-over.
      key: 'overdue-sms',
      anchor: 'due_date',
      offsetDays: 2,
      channel: 'sms',
      templateKey: 'sms-overdue',
      escalation: 'firm',
      minBalanceMinor: 0,
      onlyWhenOverdue: true,
      onlyIfUnpaidSincePrevious: false,
      repeat: { everyDays: 7, untilOffsetDays: 20 },
    },
    {
      key: 'collections-handover',
      anchor: 'due_date',
      offsetDays: 21,
      channel: 'collections',
      templateKey: 'sms-collections-handover',
      escalation: 'collections',
      minBalanceMinor: 0,
      onlyWhenOverdue: true,
      // A part payment since the last SMS shows the debtor is engaging: no hand-over without a look.
      onlyIfUnpaidSincePrevious: true,
    },
    {
      key: 'thank-you-sms',
      anchor: 'paid',
      offsetDays: 0,
      channel: 'sms',
      templateKey: 'sms-thank-you',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
  ],
};

export const POLICY_PRESET_IDS = ['default', 'sms-scenario'] as const;
export type PolicyPresetId = (typeof POLICY_PRESET_IDS)[number];

/** A built-in policy a finance user can start from; the copy is the organization's to edit. */
export interface PolicyPreset {
  id: PolicyPresetId;
  /** The name of a policy created from it, unless the user gives another. */
  name: string;
  description: string;
  policy: ReminderPolicy;
}

/** The built-in policies, in the order the console offers them. */
export const POLICY_PRESETS: readonly PolicyPreset[] = [
  {
    id: 'default',
    name: 'Default',
    description:
      'E-mail on issue, before and on the due date, weekly overdue reminders, a call and a firm e-mail at two weeks, a final notice letter with statutory charges at three weeks, then collections.',
    policy: DEFAULT_POLICY,
  },
  {
    id: 'sms-scenario',
    name: 'SMS scenario',
    description:
      'SMS on issue, two days before and on the due date, then weekly while unpaid; after three weeks unpaid the SMS stop and a collections hand-over task is created. A thank-you SMS after payment.',
    policy: SMS_SCENARIO_POLICY,
  },
];

/** The preset with this id, or undefined for an unknown id (untrusted input from a form or request). */
export function findPolicyPreset(id: string): PolicyPreset | undefined {
  return POLICY_PRESETS.find((preset) => preset.id === id);
}
