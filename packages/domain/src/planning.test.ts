import { describe, expect, it } from 'vitest';
import type { PlannedStep } from './planning';
import { daysOverdue, explainPlan, planReminders, planThankYou, stepSkipReason } from './planning';
import type { PolicyStep, ReminderPolicy } from './policy';
import { DEFAULT_POLICY } from './policy';

const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function step(overrides: Partial<PolicyStep> & Pick<PolicyStep, 'key'>): PolicyStep {
  return {
    anchor: 'due_date',
    offsetDays: 0,
    channel: 'email',
    templateKey: overrides.key,
    escalation: 'courteous',
    minBalanceMinor: 0,
    onlyWhenOverdue: false,
    onlyIfUnpaidSincePrevious: false,
    ...overrides,
  };
}

function policyOf(steps: PolicyStep[], sendWindow = { start: '09:00', end: '17:00' }): ReminderPolicy {
  return { ...DEFAULT_POLICY, sendWindow, steps };
}

/** `id localDate sendAt` lines: one string per step keeps failures readable. */
// Without a jitterKey every plan uses the key '', whose spread is 1 minute: 09:00 windows send at 09:01.
const summary = (plan: PlannedStep[]) => plan.map((s) => `${s.id} ${s.localDate} ${iso(s.sendAt)}`);

describe('planReminders with the default policy', () => {
  it('plans a Warsaw invoice through holidays, weekends and the end of summer time', () => {
    // Due on Sunday 9 Nov 2025; 11 Nov is Independence Day; clocks went back on 26 Oct.
    const plan = planReminders({
      issueDate: '2025-10-13',
      dueDate: '2025-11-09',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
    });
    expect(plan.map((s) => `${s.id} ${s.localDate} ${iso(s.sendAt)} ${s.daysFromDue}`)).toEqual([
      'issue-email#0 2025-10-13 2025-10-13T07:01:00.000Z -27', // CEST, UTC+2
      'pre-due-email#0 2025-11-07 2025-11-07T08:01:00.000Z -2', // CET, UTC+1
      'due-day-email#0 2025-11-10 2025-11-10T08:01:00.000Z 1', // Sunday → Monday
      'due-day-sms#0 2025-11-10 2025-11-10T08:01:00.000Z 1',
      'overdue-email#0 2025-11-12 2025-11-12T08:01:00.000Z 3', // 11 Nov holiday → 12 Nov
      'overdue-email#1 2025-11-18 2025-11-18T08:01:00.000Z 9',
      'firm-overdue-email#0 2025-11-24 2025-11-24T08:01:00.000Z 15', // Sunday → Monday
      'overdue-call#0 2025-11-24 2025-11-24T08:01:00.000Z 15',
      'final-notice-letter#0 2025-12-01 2025-12-01T08:01:00.000Z 22',
      'collections-handover#0 2025-12-01 2025-12-01T08:01:00.000Z 22',
    ]);
    expect(plan[0]).toEqual({
      id: 'issue-email#0',
      stepKey: 'issue-email',
      occurrence: 0,
      channel: 'email',
      templateKey: 'invoice-issued',
      escalation: 'courteous',
      sendAt: utc('2025-10-13T07:01:00Z'),
      localDate: '2025-10-13',
      daysFromDue: -27,
      nominalDate: '2025-10-13',
      movedBecause: [],
    });
  });

  it('leaves the paid-anchored thank-you out of the plan and returns it from planThankYou', () => {
    const plan = planReminders({
      issueDate: '2025-10-13',
      dueDate: '2025-11-09',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
    });
    expect(plan.some((s) => s.stepKey === 'thank-you')).toBe(false);
    expect(planThankYou(DEFAULT_POLICY)?.templateKey).toBe('thank-you');
    expect(planThankYou(policyOf([step({ key: 'only' })]))).toBeUndefined();
  });

  it('drops occurrences before notBefore when re-planning', () => {
    const plan = planReminders({
      issueDate: '2025-10-13',
      dueDate: '2025-11-09',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
      notBefore: utc('2025-11-18T08:00:00Z'),
    });
    expect(plan.map((s) => s.id)).toEqual([
      'overdue-email#1',
      'firm-overdue-email#0',
      'overdue-call#0',
      'final-notice-letter#0',
      'collections-handover#0',
    ]);
  });
});

describe('planReminders across time zones', () => {
  it("sends at 09:01 local (window start plus the empty key's spread) in New York, Tokyo and Warsaw on the same day", () => {
    const policy = policyOf([step({ key: 'due' })]);
    const at = (timeZone: string, country: string) =>
      iso(
        planReminders({ issueDate: '2025-07-01', dueDate: '2025-07-16', timeZone, country, policy })[0]!
          .sendAt,
      );
    expect(at('America/New_York', 'US')).toBe('2025-07-16T13:01:00.000Z');
    expect(at('Asia/Tokyo', 'JP')).toBe('2025-07-16T00:01:00.000Z');
    expect(at('Europe/Warsaw', 'PL')).toBe('2025-07-16T07:01:00.000Z');
  });

  it("uses the customer's holidays: Culture Day moves a Tokyo reminder to Tuesday", () => {
    const plan = planReminders({
      issueDate: '2025-10-01',
      dueDate: '2025-11-03',
      timeZone: 'Asia/Tokyo',
      country: 'JP',
      policy: policyOf([step({ key: 'due' })]),
    });
    expect(summary(plan)).toEqual(['due#0 2025-11-04 2025-11-04T00:01:00.000Z']);
  });

  it('reads the offset of the day it sends on after a US spring-forward', () => {
    // Clocks change on Sunday 9 March 2025; Friday is EST, Monday EDT.
    const plan = planReminders({
      issueDate: '2025-03-01',
      dueDate: '2025-03-17',
      timeZone: 'America/New_York',
      country: 'US',
      policy: policyOf([
        step({ key: 'a', offsetDays: -10 }),
        step({ key: 'b', offsetDays: -7, channel: 'sms' }),
      ]),
    });
    expect(summary(plan)).toEqual([
      'a#0 2025-03-07 2025-03-07T14:01:00.000Z',
      'b#0 2025-03-10 2025-03-10T13:01:00.000Z',
    ]);
  });

  it('moves a step due on the Sunday of the European spring-forward to Monday 09:01 CEST', () => {
    const plan = planReminders({
      issueDate: '2025-03-01',
      dueDate: '2025-03-28',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'after', offsetDays: 2 })]),
    });
    expect(summary(plan)).toEqual(['after#0 2025-03-31 2025-03-31T07:01:00.000Z']);
  });

  it('starts at the policy send window: 07:31 local, 07:30 plus the spread', () => {
    const plan = planReminders({
      issueDate: '2025-01-01',
      dueDate: '2025-01-15',
      timeZone: 'Europe/Berlin',
      country: 'DE',
      policy: policyOf([step({ key: 'due' })], { start: '07:30', end: '12:00' }),
    });
    expect(iso(plan[0]!.sendAt)).toBe('2025-01-15T06:31:00.000Z');
  });
});

describe('planReminders and public holidays', () => {
  const plan = (country: string, timeZone: string, dueDate: string) =>
    planReminders({
      issueDate: '2025-01-01',
      dueDate,
      timeZone,
      country,
      policy: policyOf([step({ key: 'due' })]),
    })[0]?.localDate;

  it('skips Poland 11 November, Germany 3 October, France 14 July and the UK Christmas break', () => {
    expect(plan('PL', 'Europe/Warsaw', '2025-11-11')).toBe('2025-11-12');
    expect(plan('DE', 'Europe/Berlin', '2025-10-03')).toBe('2025-10-06');
    expect(plan('FR', 'Europe/Paris', '2025-07-14')).toBe('2025-07-15');
    expect(plan('GB', 'Europe/London', '2025-12-25')).toBe('2025-12-29');
  });
});

describe('planReminders before the due date', () => {
  it('pulls a pre-due reminder back to Friday rather than push it onto a Monday due date', () => {
    const plan = planReminders({
      issueDate: '2025-03-03',
      dueDate: '2025-03-10',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'pre', offsetDays: -2 })]),
    });
    expect(plan.map((s) => `${s.localDate} ${s.daysFromDue}`)).toEqual(['2025-03-07 -3']);
  });

  it('pulls it back past a holiday too: Sat 4 Oct before a Monday due date goes to Thu 2 Oct in Germany', () => {
    const plan = planReminders({
      issueDate: '2025-09-01',
      dueDate: '2025-10-06',
      timeZone: 'Europe/Berlin',
      country: 'DE',
      policy: policyOf([step({ key: 'pre', offsetDays: -2 })]),
    });
    expect(plan[0]?.localDate).toBe('2025-10-02');
  });

  it('still moves a pre-due reminder forward when that stays before the due date', () => {
    const plan = planReminders({
      issueDate: '2025-03-01',
      dueDate: '2025-03-12',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'pre', offsetDays: -4 })]),
    });
    expect(plan[0]?.localDate).toBe('2025-03-10');
  });

  it('drops a reminder that would fall before the issue date', () => {
    const plan = planReminders({
      issueDate: '2025-03-08',
      dueDate: '2025-03-10',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'pre', offsetDays: -2 }), step({ key: 'due', channel: 'sms' })]),
    });
    expect(plan.map((s) => s.id)).toEqual(['due#0']);
  });

  it('drops an only-when-overdue occurrence that lands on or before the due date', () => {
    const plan = planReminders({
      issueDate: '2025-03-01',
      dueDate: '2025-03-10',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'late', offsetDays: 0, onlyWhenOverdue: true })]),
    });
    expect(plan).toEqual([]);
  });
});

describe('planReminders repeats', () => {
  const datesOf = (repeat: PolicyStep['repeat']) =>
    planReminders({
      issueDate: '2025-08-01',
      dueDate: '2025-09-01', // Monday; +2 is Wednesday and weekly repeats stay on Wednesdays
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'r', offsetDays: 2, ...(repeat ? { repeat } : {}) })]),
    }).map((s) => `${s.id} ${s.localDate}`);

  it('stops after maxTimes occurrences in total', () => {
    expect(datesOf({ everyDays: 7, maxTimes: 3 })).toEqual([
      'r#0 2025-09-03',
      'r#1 2025-09-10',
      'r#2 2025-09-17',
    ]);
  });

  it('stops at untilOffsetDays, inclusive', () => {
    expect(datesOf({ everyDays: 7, untilOffsetDays: 13 })).toEqual(['r#0 2025-09-03', 'r#1 2025-09-10']);
    expect(datesOf({ everyDays: 7, untilOffsetDays: 16 })).toEqual([
      'r#0 2025-09-03',
      'r#1 2025-09-10',
      'r#2 2025-09-17',
    ]);
  });

  it('stops at whichever bound comes first', () => {
    expect(datesOf({ everyDays: 7, maxTimes: 2, untilOffsetDays: 30 })).toEqual([
      'r#0 2025-09-03',
      'r#1 2025-09-10',
    ]);
    expect(datesOf({ everyDays: 7, maxTimes: 10, untilOffsetDays: 9 })).toEqual([
      'r#0 2025-09-03',
      'r#1 2025-09-10',
    ]);
  });

  it('sends once without a repeat', () => {
    expect(datesOf(undefined)).toEqual(['r#0 2025-09-03']);
  });
});

describe('planReminders: one message per channel per day', () => {
  it('keeps only the last occurrence when a daily repeat piles a weekend onto Monday', () => {
    // Due Thursday 4 Sep 2025: +1 Fri, +2 Sat, +3 Sun, +4 Mon.
    const plan = planReminders({
      issueDate: '2025-08-01',
      dueDate: '2025-09-04',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'daily', offsetDays: 1, repeat: { everyDays: 1, maxTimes: 4 } })]),
    });
    expect(plan.map((s) => `${s.id} ${s.localDate}`)).toEqual(['daily#0 2025-09-05', 'daily#3 2025-09-08']);
  });

  it('keeps the more escalated step when two e-mails meet on one day, whatever the policy order', () => {
    // Due Friday 5 Sep 2025: the firm +1 (Sat) and the courteous +3 (Mon) both land on Monday.
    const plan = planReminders({
      issueDate: '2025-08-01',
      dueDate: '2025-09-05',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([
        step({ key: 'firm', offsetDays: 1, escalation: 'firm' }),
        step({ key: 'soft', offsetDays: 3, escalation: 'courteous' }),
      ]),
    });
    expect(plan.map((s) => s.id)).toEqual(['firm#0']);
  });

  it('keeps the later step of equal escalation, and both when the channels differ', () => {
    const plan = planReminders({
      issueDate: '2025-08-01',
      dueDate: '2025-09-05',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([
        step({ key: 'first', offsetDays: 1 }),
        step({ key: 'second', offsetDays: 2 }),
        step({ key: 'text', offsetDays: 3, channel: 'sms' }),
      ]),
    });
    expect(plan.map((s) => s.id)).toEqual(['second#0', 'text#0']);
  });

  it('orders same-instant steps by policy order', () => {
    const plan = planReminders({
      issueDate: '2025-08-01',
      dueDate: '2025-09-05',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'z-sms', channel: 'sms' }), step({ key: 'a-email' })]),
    });
    expect(plan.map((s) => s.id)).toEqual(['z-sms#0', 'a-email#0']);
  });
});

describe('daysOverdue', () => {
  it('counts days after the due date and is 0 up to it', () => {
    expect(daysOverdue('2025-03-10', '2025-03-09')).toBe(0);
    expect(daysOverdue('2025-03-10', '2025-03-10')).toBe(0);
    expect(daysOverdue('2025-03-10', '2025-04-01')).toBe(22);
  });
});

describe('stepSkipReason', () => {
  const base = { balanceMinor: 10_000, dueDate: '2025-03-10', today: '2025-03-20', paidSincePrevious: false };
  const rules = { minBalanceMinor: 0, onlyWhenOverdue: false, onlyIfUnpaidSincePrevious: false };

  it('allows a step whose conditions hold', () => {
    expect(
      stepSkipReason({ ...rules, onlyWhenOverdue: true, onlyIfUnpaidSincePrevious: true }, base),
    ).toBeUndefined();
  });

  it('skips below the minimum balance, before the due date has passed, and after a fresh payment', () => {
    expect(stepSkipReason({ ...rules, minBalanceMinor: 10_001 }, base)).toBe('below_min_balance');
    expect(stepSkipReason({ ...rules, onlyWhenOverdue: true }, { ...base, today: '2025-03-10' })).toBe(
      'not_overdue',
    );
    expect(
      stepSkipReason({ ...rules, onlyIfUnpaidSincePrevious: true }, { ...base, paidSincePrevious: true }),
    ).toBe('paid_since_previous');
  });
});

describe('planReminders explains each move', () => {
  const moves = (plan: PlannedStep[]) =>
    plan.map((s) => `${s.id} ${s.nominalDate}→${s.localDate} ${s.movedBecause.join(',') || '-'}`);

  it('names the weekend and the holiday a default Warsaw plan moves over', () => {
    const plan = planReminders({
      issueDate: '2025-10-13',
      dueDate: '2025-11-09',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
    });
    expect(moves(plan)).toEqual([
      'issue-email#0 2025-10-13→2025-10-13 -',
      'pre-due-email#0 2025-11-07→2025-11-07 -',
      'due-day-email#0 2025-11-09→2025-11-10 weekend',
      'due-day-sms#0 2025-11-09→2025-11-10 weekend',
      'overdue-email#0 2025-11-11→2025-11-12 holiday',
      'overdue-email#1 2025-11-18→2025-11-18 -',
      'firm-overdue-email#0 2025-11-23→2025-11-24 weekend',
      'overdue-call#0 2025-11-23→2025-11-24 weekend',
      'final-notice-letter#0 2025-11-30→2025-12-01 weekend',
      'collections-handover#0 2025-12-01→2025-12-01 -',
    ]);
  });

  it('names every kind of day passed over: the UK Christmas holidays and the weekend after', () => {
    const plan = planReminders({
      issueDate: '2025-12-01',
      dueDate: '2025-12-25',
      timeZone: 'Europe/London',
      country: 'GB',
      policy: policyOf([step({ key: 'due' })]),
    });
    expect(moves(plan)).toEqual(['due#0 2025-12-25→2025-12-29 holiday,weekend']);
  });

  it('marks a pre-due reminder pulled back rather than pushed onto the due date', () => {
    const saturdayBeforeMonday = planReminders({
      issueDate: '2025-03-03',
      dueDate: '2025-03-10',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'pre', offsetDays: -2 })]),
    });
    expect(moves(saturdayBeforeMonday)).toEqual(['pre#0 2025-03-08→2025-03-07 weekend,kept_before_due']);
    // Sat 4 Oct back over Fri 3 Oct (German Unity Day) to Thursday.
    const overUnityDay = planReminders({
      issueDate: '2025-09-01',
      dueDate: '2025-10-06',
      timeZone: 'Europe/Berlin',
      country: 'DE',
      policy: policyOf([step({ key: 'pre', offsetDays: -2 })]),
    });
    expect(moves(overUnityDay)).toEqual(['pre#0 2025-10-04→2025-10-02 weekend,holiday,kept_before_due']);
  });
});

describe('planReminders spreads an invoice over the window opening', () => {
  const sendAtsFor = (jitterKey: string | undefined) =>
    planReminders({
      issueDate: '2025-10-13',
      dueDate: '2025-11-09',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
      ...(jitterKey === undefined ? {} : { jitterKey }),
    }).map((s) => s.sendAt);

  it('times every step of one invoice the same minutes after the window start, under 30 minutes', () => {
    const windowStarts = planReminders({
      issueDate: '2025-10-13',
      dueDate: '2025-11-09',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
    }).map((s) => s.sendAt - 60_000); // the empty key's minute
    const offsets = sendAtsFor('inv_0001').map((at, index) => at - windowStarts[index]!);
    expect(new Set(offsets).size).toBe(1);
    expect(offsets[0]! % 60_000).toBe(0);
    expect(offsets[0]!).toBeGreaterThanOrEqual(0);
    expect(offsets[0]!).toBeLessThan(30 * 60_000);
  });

  it('gives the same times for the same invoice and spreads different invoices', () => {
    expect(sendAtsFor('inv_0001')).toEqual(sendAtsFor('inv_0001'));
    expect(sendAtsFor(undefined)).toEqual(sendAtsFor(''));
    const firstSends = new Set(Array.from({ length: 20 }, (_, n) => sendAtsFor(`inv_${n}`)[0]));
    expect(firstSends.size).toBeGreaterThan(1);
  });

  it('keeps the step ids, so idempotency keys do not depend on the spread', () => {
    const ids = (jitterKey: string) =>
      planReminders({
        issueDate: '2025-10-13',
        dueDate: '2025-11-09',
        timeZone: 'Europe/Warsaw',
        country: 'PL',
        policy: DEFAULT_POLICY,
        jitterKey,
      }).map((s) => s.id);
    expect(ids('a')).toEqual(ids('b'));
  });
});

describe('explainPlan', () => {
  const dropped = (input: Parameters<typeof explainPlan>[0]) =>
    explainPlan(input).dropped.map(
      (s) => `${s.id} ${s.localDate} ${s.reason}${s.replacedBy ? ` ${s.replacedBy}` : ''}`,
    );

  it('returns exactly the planned steps of planReminders', () => {
    const input = {
      issueDate: '2025-10-13',
      dueDate: '2025-11-09',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
      jitterKey: 'inv_1',
    };
    expect(explainPlan(input).planned).toEqual(planReminders(input));
    expect(explainPlan(input).dropped).toEqual([]);
  });

  it('explains an only-when-overdue occurrence that can never be overdue on its day', () => {
    expect(
      dropped({
        issueDate: '2025-03-01',
        dueDate: '2025-03-10',
        timeZone: 'Europe/Warsaw',
        country: 'PL',
        policy: policyOf([step({ key: 'late', offsetDays: 0, onlyWhenOverdue: true })]),
      }),
    ).toEqual(['late#0 2025-03-10 not_overdue_on_day']);
  });

  it('explains a reminder that would fall before the issue date', () => {
    expect(
      dropped({
        issueDate: '2025-03-08',
        dueDate: '2025-03-10',
        timeZone: 'Europe/Warsaw',
        country: 'PL',
        policy: policyOf([step({ key: 'pre', offsetDays: -2 }), step({ key: 'due', channel: 'sms' })]),
      }),
    ).toEqual(['pre#0 2025-03-07 before_issue_date']);
  });

  it('names the occurrence that finally holds the slot, not the one that first displaced it', () => {
    // Due Thursday 4 Sep 2025: the Saturday, Sunday and Monday occurrences all meet on Monday.
    const explanation = explainPlan({
      issueDate: '2025-08-01',
      dueDate: '2025-09-04',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: policyOf([step({ key: 'daily', offsetDays: 1, repeat: { everyDays: 1, maxTimes: 4 } })]),
    });
    expect(explanation.planned.map((s) => s.id)).toEqual(['daily#0', 'daily#3']);
    expect(
      explanation.dropped.map((s) => `${s.id} ${s.nominalDate}→${s.localDate} ${s.reason} ${s.replacedBy}`),
    ).toEqual([
      'daily#1 2025-09-06→2025-09-08 replaced_by daily#3',
      'daily#2 2025-09-07→2025-09-08 replaced_by daily#3',
    ]);
  });

  it('explains a weaker step displaced by a stronger one of the same channel', () => {
    expect(
      dropped({
        issueDate: '2025-08-01',
        dueDate: '2025-09-05',
        timeZone: 'Europe/Warsaw',
        country: 'PL',
        policy: policyOf([
          step({ key: 'firm', offsetDays: 1, escalation: 'firm' }),
          step({ key: 'soft', offsetDays: 3, escalation: 'courteous' }),
        ]),
      }),
    ).toEqual(['soft#0 2025-09-08 replaced_by firm#0']);
  });

  it('explains occurrences left out as already past when re-planning', () => {
    expect(
      dropped({
        issueDate: '2025-10-13',
        dueDate: '2025-11-09',
        timeZone: 'Europe/Warsaw',
        country: 'PL',
        policy: DEFAULT_POLICY,
        notBefore: utc('2025-11-10T12:00:00Z'),
      }),
    ).toEqual([
      'issue-email#0 2025-10-13 already_past',
      'pre-due-email#0 2025-11-07 already_past',
      'due-day-email#0 2025-11-10 already_past',
      'due-day-sms#0 2025-11-10 already_past',
    ]);
  });
});

describe('a policy that sends every day', () => {
  it('keeps each step on its own day, weekends and holidays included', () => {
    const plan = planReminders({
      issueDate: '2026-10-01',
      // Due on Wednesday 11 November 2026, Polish Independence Day.
      dueDate: '2026-11-11',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: { ...DEFAULT_POLICY, businessDaysOnly: false },
    });
    const day = (id: string) => plan.find((step) => step.id === id);
    expect(day('due-day-email#0')).toMatchObject({ localDate: '2026-11-11', movedBecause: [] });
    expect(day('pre-due-email#0')?.localDate).toBe('2026-11-09');
    const business = planReminders({
      issueDate: '2026-10-01',
      dueDate: '2026-11-11',
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      policy: DEFAULT_POLICY,
    });
    expect(business.find((step) => step.id === 'due-day-email#0')?.localDate).toBe('2026-11-12');
  });
});
