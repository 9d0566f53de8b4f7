import { describe, expect, it } from 'vitest';
import { planReminders, planThankYou } from './planning';
import { DEFAULT_POLICY, validatePolicy } from './policy';
import { findPolicyPreset, POLICY_PRESET_IDS, POLICY_PRESETS, SMS_SCENARIO_POLICY } from './policy-presets';

describe('POLICY_PRESETS', () => {
  it('offers every preset id once, each a valid policy as it would be stored', () => {
    expect(POLICY_PRESETS.map((preset) => preset.id)).toEqual([...POLICY_PRESET_IDS]);
    for (const preset of POLICY_PRESETS) {
      expect(validatePolicy(preset.policy), preset.id).toEqual({ ok: true, policy: preset.policy });
    }
    expect(findPolicyPreset('default')?.policy).toBe(DEFAULT_POLICY);
    expect(findPolicyPreset('sms-scenario')?.policy).toBe(SMS_SCENARIO_POLICY);
    expect(findPolicyPreset('nope')).toBeUndefined();
  });

  it('plans the SMS scenario: SMS on issue, before, on and weekly after the due date, then collections at 21 days', () => {
    const plan = planReminders({
      issueDate: '2025-05-12',
      dueDate: '2025-06-11',
      timeZone: 'Europe/London',
      country: 'GB',
      policy: SMS_SCENARIO_POLICY,
    });
    expect(plan.map((step) => `${step.id} ${step.channel} ${step.nominalDate}`)).toEqual([
      'issue-sms#0 sms 2025-05-12',
      'pre-due-sms#0 sms 2025-06-09',
      'due-day-sms#0 sms 2025-06-11',
      'overdue-sms#0 sms 2025-06-13',
      'overdue-sms#1 sms 2025-06-20',
      'overdue-sms#2 sms 2025-06-27',
      'collections-handover#0 collections 2025-07-02',
    ]);
    const handover = SMS_SCENARIO_POLICY.steps.find((step) => step.channel === 'collections');
    expect(handover).toMatchObject({ onlyWhenOverdue: true, onlyIfUnpaidSincePrevious: true });
    expect(planThankYou(SMS_SCENARIO_POLICY)).toMatchObject({ channel: 'sms', templateKey: 'sms-thank-you' });
  });
});
