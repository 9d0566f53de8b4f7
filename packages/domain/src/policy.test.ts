import { describe, expect, it } from 'vitest';
import type { PolicyStep, ReminderPolicy } from './policy';
import { DEFAULT_POLICY, validatePolicy } from './policy';

function withStep(overrides: Record<string, unknown>): Record<string, unknown> {
  const base = DEFAULT_POLICY.steps[1] as PolicyStep;
  return { ...DEFAULT_POLICY, steps: [...DEFAULT_POLICY.steps, { ...base, key: 'extra', ...overrides }] };
}

function errorsOf(policy: unknown) {
  const result = validatePolicy(policy);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.errors;
}

const extraIndex = DEFAULT_POLICY.steps.length;

describe('DEFAULT_POLICY', () => {
  it('passes its own validation', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it('follows the graded sequence of the source documents', () => {
    const summary = DEFAULT_POLICY.steps.map(
      (s) =>
        `${s.anchor}${s.offsetDays >= 0 ? '+' : ''}${s.offsetDays} ${s.channel} ${s.templateKey} ${s.escalation}`,
    );
    expect(summary).toEqual([
      'issue_date+0 email invoice-issued courteous',
      'due_date-2 email pre-due courteous',
      'due_date+0 email due-day courteous',
      'due_date+0 sms due-day courteous',
      'due_date+2 email overdue firm',
      'due_date+14 email firm-overdue firm',
      'due_date+14 call call-script firm',
      'due_date+21 letter final-notice final',
      'due_date+22 collections collections-handover collections',
      'paid+0 email thank-you courteous',
    ]);
    expect(DEFAULT_POLICY.steps.find((s) => s.templateKey === 'overdue')?.repeat).toEqual({
      everyDays: 7,
      untilOffsetDays: 13,
    });
    expect(DEFAULT_POLICY).toMatchObject({
      sendWindow: { start: '09:00', end: '17:00' },
      lateCharges: true,
      promiseGraceDays: 2,
      maxPromiseDays: 30,
    });
  });

  it('marks every step after the due date as only-when-overdue', () => {
    for (const step of DEFAULT_POLICY.steps) {
      expect(step.onlyWhenOverdue, step.key).toBe(step.anchor === 'due_date' && step.offsetDays > 0);
    }
  });
});

describe('validatePolicy', () => {
  it('rejects a duplicate step key at the second occurrence', () => {
    expect(errorsOf(withStep({ key: 'due-day-email' }))).toEqual([
      {
        path: `steps[${extraIndex}].key`,
        message: "duplicate key 'due-day-email' (already used by steps[2])",
      },
    ]);
  });

  it('rejects a repeat without a bound', () => {
    expect(errorsOf(withStep({ repeat: { everyDays: 7 } }))).toEqual([
      { path: `steps[${extraIndex}].repeat`, message: expect.stringMatching(/needs a bound/) },
    ]);
  });

  it('rejects a repeat more often than daily', () => {
    expect(errorsOf(withStep({ repeat: { everyDays: 0, maxTimes: 3 } }))).toEqual([
      { path: `steps[${extraIndex}].repeat.everyDays`, message: expect.stringMatching(/between 1 and/) },
    ]);
  });

  it('rejects a repeat whose last offset comes before its first', () => {
    expect(errorsOf(withStep({ offsetDays: 5, repeat: { everyDays: 7, untilOffsetDays: 2 } }))[0]?.path).toBe(
      `steps[${extraIndex}].repeat.untilOffsetDays`,
    );
  });

  it('rejects a send window that does not start before it ends', () => {
    const policy = { ...DEFAULT_POLICY, sendWindow: { start: '17:00', end: '09:00' } };
    expect(errorsOf(policy)).toEqual([{ path: 'sendWindow', message: 'start must be before end' }]);
    expect(errorsOf({ ...DEFAULT_POLICY, sendWindow: { start: '09:00', end: '09:00' } })[0]?.path).toBe(
      'sendWindow',
    );
  });

  it('rejects times that are not HH:MM', () => {
    const errors = errorsOf({ ...DEFAULT_POLICY, sendWindow: { start: '9:00', end: '25:00' } });
    expect(errors.map((e) => e.path)).toEqual(['sendWindow.start', 'sendWindow.end']);
    expect(errors[0]?.message).toMatch(/HH:MM/);
  });

  it('rejects unknown channels and escalations, naming the allowed values', () => {
    const errors = errorsOf(withStep({ channel: 'fax', escalation: 'angry' }));
    expect(errors).toEqual([
      { path: `steps[${extraIndex}].channel`, message: expect.stringContaining("'email', 'sms'") },
      { path: `steps[${extraIndex}].escalation`, message: expect.stringContaining("'courteous'") },
    ]);
  });

  it('rejects a second paid-anchored step and a repeating one', () => {
    expect(errorsOf(withStep({ anchor: 'paid', offsetDays: 0 }))[0]?.path).toBe(
      `steps[${extraIndex}].anchor`,
    );
    const repeatingThankYou = {
      ...DEFAULT_POLICY,
      steps: DEFAULT_POLICY.steps.map((s) =>
        s.anchor === 'paid' ? { ...s, repeat: { everyDays: 1, maxTimes: 2 } } : s,
      ),
    };
    expect(errorsOf(repeatingThankYou)[0]?.path).toBe('steps[9].repeat');
  });

  it('reports every problem at once, with paths', () => {
    const errors = errorsOf({
      sendWindow: null,
      lateCharges: 'yes',
      promiseGraceDays: -1,
      maxPromiseDays: 30,
      steps: [{}],
    });
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        'sendWindow',
        'lateCharges',
        'promiseGraceDays',
        'steps[0].key',
        'steps[0].channel',
      ]),
    );
    expect(errorsOf('policy')).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('returns a clean copy: unknown fields dropped, a null repeat treated as none', () => {
    const input = {
      ...DEFAULT_POLICY,
      extra: true,
      steps: [{ ...DEFAULT_POLICY.steps[0], repeat: null, note: 'x' }],
    };
    const result = validatePolicy(input);
    expect(result.ok).toBe(true);
    const policy = (result as { ok: true; policy: ReminderPolicy }).policy;
    expect(policy).not.toHaveProperty('extra');
    expect(policy.steps[0]).toEqual(DEFAULT_POLICY.steps[0]);
  });
});
