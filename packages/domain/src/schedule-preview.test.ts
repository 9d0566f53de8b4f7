import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type PolicyStep, type ReminderPolicy } from './policy';
import { SMS_SCENARIO_POLICY } from './policy-presets';
import { previewSchedule, type SchedulePreview } from './schedule-preview';

// Issued Friday 16 Oct 2026 (CEST), due Monday 9 Nov 2026 (CET): summer time ends on Sunday 25 Oct,
// 1 Nov (All Saints) is a Sunday and 11 Nov (Independence Day) a Wednesday.
const polishInvoice = {
  issueDate: '2026-10-16',
  dueDate: '2026-11-09',
  timeZone: 'Europe/Warsaw',
  country: 'PL',
  // Hashes to minute 5 of the window's spread: every message goes out at 09:05 Warsaw time.
  jitterKey: '0b6f7c1e-1d2a-4c3b-9e8f-1a2b3c4d5e6f',
};

/** One readable line per entry: what a reviewer checks first (the snapshots pin every field). */
const timeline = (preview: SchedulePreview) =>
  preview.entries.map(
    (e) =>
      `${e.localDate} ${e.localTime} ${e.utcOffset} ${e.channel} ${e.templateKey} ${e.status}` +
      (e.movedBecause.length > 0 ? ` (from ${e.nominalDate}: ${e.movedBecause.join(', ')})` : ''),
  );

describe('previewSchedule with the default policy for a Polish customer', () => {
  const preview = previewSchedule({ policy: DEFAULT_POLICY, ...polishInvoice });

  it('times every message at 09:05 Warsaw time across the end of summer time and the holidays', () => {
    expect(timeline(preview)).toEqual([
      '2026-10-16 09:05 +02:00 email invoice-issued planned',
      '2026-11-06 09:05 +01:00 email pre-due planned (from 2026-11-07: weekend, kept_before_due)',
      '2026-11-09 09:05 +01:00 email due-day planned',
      '2026-11-09 09:05 +01:00 sms due-day planned',
      '2026-11-12 09:05 +01:00 email overdue planned (from 2026-11-11: holiday)',
      '2026-11-18 09:05 +01:00 email overdue planned',
      '2026-11-23 09:05 +01:00 email firm-overdue planned',
      '2026-11-23 09:05 +01:00 call call-script planned',
      '2026-11-30 09:05 +01:00 letter final-notice planned',
      '2026-12-01 09:05 +01:00 collections collections-handover planned',
    ]);
  });

  it('pins the whole preview', () => {
    expect(preview).toMatchInlineSnapshot(`
      {
        "afterPayment": {
          "channel": "email",
          "conditions": [],
          "escalation": "courteous",
          "offsetDays": 0,
          "stepKey": "thank-you",
          "templateKey": "thank-you",
          "when": "after full payment",
        },
        "country": "PL",
        "dueDate": "2026-11-09",
        "entries": [
          {
            "channel": "email",
            "conditions": [],
            "daysFromDue": -24,
            "escalation": "courteous",
            "localDate": "2026-10-16",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-10-16",
            "occurrence": 0,
            "sendAt": "2026-10-16T07:05:00.000Z",
            "status": "planned",
            "stepId": "issue-email#0",
            "stepKey": "issue-email",
            "templateKey": "invoice-issued",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+02:00",
          },
          {
            "channel": "email",
            "conditions": [],
            "daysFromDue": -3,
            "escalation": "courteous",
            "localDate": "2026-11-06",
            "localTime": "09:05",
            "movedBecause": [
              "weekend",
              "kept_before_due",
            ],
            "nominalDate": "2026-11-07",
            "occurrence": 0,
            "sendAt": "2026-11-06T08:05:00.000Z",
            "status": "planned",
            "stepId": "pre-due-email#0",
            "stepKey": "pre-due-email",
            "templateKey": "pre-due",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "email",
            "conditions": [],
            "daysFromDue": 0,
            "escalation": "courteous",
            "localDate": "2026-11-09",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-09",
            "occurrence": 0,
            "sendAt": "2026-11-09T08:05:00.000Z",
            "status": "planned",
            "stepId": "due-day-email#0",
            "stepKey": "due-day-email",
            "templateKey": "due-day",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "sms",
            "conditions": [],
            "daysFromDue": 0,
            "escalation": "courteous",
            "localDate": "2026-11-09",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-09",
            "occurrence": 0,
            "sendAt": "2026-11-09T08:05:00.000Z",
            "status": "planned",
            "stepId": "due-day-sms#0",
            "stepKey": "due-day-sms",
            "templateKey": "due-day",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "email",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
            ],
            "daysFromDue": 3,
            "escalation": "firm",
            "localDate": "2026-11-12",
            "localTime": "09:05",
            "movedBecause": [
              "holiday",
            ],
            "nominalDate": "2026-11-11",
            "occurrence": 0,
            "sendAt": "2026-11-12T08:05:00.000Z",
            "status": "planned",
            "stepId": "overdue-email#0",
            "stepKey": "overdue-email",
            "templateKey": "overdue",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "email",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
            ],
            "daysFromDue": 9,
            "escalation": "firm",
            "localDate": "2026-11-18",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-18",
            "occurrence": 1,
            "sendAt": "2026-11-18T08:05:00.000Z",
            "status": "planned",
            "stepId": "overdue-email#1",
            "stepKey": "overdue-email",
            "templateKey": "overdue",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "email",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
            ],
            "daysFromDue": 14,
            "escalation": "firm",
            "localDate": "2026-11-23",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-23",
            "occurrence": 0,
            "sendAt": "2026-11-23T08:05:00.000Z",
            "status": "planned",
            "stepId": "firm-overdue-email#0",
            "stepKey": "firm-overdue-email",
            "templateKey": "firm-overdue",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "call",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
              {
                "condition": "only_if_unpaid_since_previous",
              },
            ],
            "daysFromDue": 14,
            "escalation": "firm",
            "localDate": "2026-11-23",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-23",
            "occurrence": 0,
            "sendAt": "2026-11-23T08:05:00.000Z",
            "status": "planned",
            "stepId": "overdue-call#0",
            "stepKey": "overdue-call",
            "templateKey": "call-script",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "letter",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
              {
                "condition": "only_if_unpaid_since_previous",
              },
            ],
            "daysFromDue": 21,
            "escalation": "final",
            "localDate": "2026-11-30",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-30",
            "occurrence": 0,
            "sendAt": "2026-11-30T08:05:00.000Z",
            "status": "planned",
            "stepId": "final-notice-letter#0",
            "stepKey": "final-notice-letter",
            "templateKey": "final-notice",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "collections",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
              {
                "condition": "only_if_unpaid_since_previous",
              },
            ],
            "daysFromDue": 22,
            "escalation": "collections",
            "localDate": "2026-12-01",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-12-01",
            "occurrence": 0,
            "sendAt": "2026-12-01T08:05:00.000Z",
            "status": "planned",
            "stepId": "collections-handover#0",
            "stepKey": "collections-handover",
            "templateKey": "collections-handover",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
        ],
        "issueDate": "2026-10-16",
        "sendWindow": {
          "end": "17:00",
          "start": "09:00",
        },
        "timeZone": "Europe/Warsaw",
      }
    `);
  });
});

describe('previewSchedule with the SMS preset for a Polish customer', () => {
  const preview = previewSchedule({ policy: SMS_SCENARIO_POLICY, ...polishInvoice });

  it('sends SMS on issue, before, on and weekly after the due date, then hands over at 21 days', () => {
    expect(timeline(preview)).toEqual([
      '2026-10-16 09:05 +02:00 sms sms-invoice-issued planned',
      '2026-11-06 09:05 +01:00 sms sms-pre-due planned (from 2026-11-07: weekend, kept_before_due)',
      '2026-11-09 09:05 +01:00 sms sms-due-day planned',
      '2026-11-12 09:05 +01:00 sms sms-overdue planned (from 2026-11-11: holiday)',
      '2026-11-18 09:05 +01:00 sms sms-overdue planned',
      '2026-11-25 09:05 +01:00 sms sms-overdue planned',
      '2026-11-30 09:05 +01:00 collections sms-collections-handover planned',
    ]);
    expect(preview.afterPayment).toEqual({
      stepKey: 'thank-you-sms',
      channel: 'sms',
      templateKey: 'sms-thank-you',
      escalation: 'courteous',
      offsetDays: 0,
      when: 'after full payment',
      conditions: [],
    });
  });

  it('pins the whole preview', () => {
    expect(preview).toMatchInlineSnapshot(`
      {
        "afterPayment": {
          "channel": "sms",
          "conditions": [],
          "escalation": "courteous",
          "offsetDays": 0,
          "stepKey": "thank-you-sms",
          "templateKey": "sms-thank-you",
          "when": "after full payment",
        },
        "country": "PL",
        "dueDate": "2026-11-09",
        "entries": [
          {
            "channel": "sms",
            "conditions": [],
            "daysFromDue": -24,
            "escalation": "courteous",
            "localDate": "2026-10-16",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-10-16",
            "occurrence": 0,
            "sendAt": "2026-10-16T07:05:00.000Z",
            "status": "planned",
            "stepId": "issue-sms#0",
            "stepKey": "issue-sms",
            "templateKey": "sms-invoice-issued",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+02:00",
          },
          {
            "channel": "sms",
            "conditions": [],
            "daysFromDue": -3,
            "escalation": "courteous",
            "localDate": "2026-11-06",
            "localTime": "09:05",
            "movedBecause": [
              "weekend",
              "kept_before_due",
            ],
            "nominalDate": "2026-11-07",
            "occurrence": 0,
            "sendAt": "2026-11-06T08:05:00.000Z",
            "status": "planned",
            "stepId": "pre-due-sms#0",
            "stepKey": "pre-due-sms",
            "templateKey": "sms-pre-due",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "sms",
            "conditions": [],
            "daysFromDue": 0,
            "escalation": "courteous",
            "localDate": "2026-11-09",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-09",
            "occurrence": 0,
            "sendAt": "2026-11-09T08:05:00.000Z",
            "status": "planned",
            "stepId": "due-day-sms#0",
            "stepKey": "due-day-sms",
            "templateKey": "sms-due-day",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "sms",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
            ],
            "daysFromDue": 3,
            "escalation": "firm",
            "localDate": "2026-11-12",
            "localTime": "09:05",
            "movedBecause": [
              "holiday",
            ],
            "nominalDate": "2026-11-11",
            "occurrence": 0,
            "sendAt": "2026-11-12T08:05:00.000Z",
            "status": "planned",
            "stepId": "overdue-sms#0",
            "stepKey": "overdue-sms",
            "templateKey": "sms-overdue",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "sms",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
            ],
            "daysFromDue": 9,
            "escalation": "firm",
            "localDate": "2026-11-18",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-18",
            "occurrence": 1,
            "sendAt": "2026-11-18T08:05:00.000Z",
            "status": "planned",
            "stepId": "overdue-sms#1",
            "stepKey": "overdue-sms",
            "templateKey": "sms-overdue",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "sms",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
            ],
            "daysFromDue": 16,
            "escalation": "firm",
            "localDate": "2026-11-25",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-25",
            "occurrence": 2,
            "sendAt": "2026-11-25T08:05:00.000Z",
            "status": "planned",
            "stepId": "overdue-sms#2",
            "stepKey": "overdue-sms",
            "templateKey": "sms-overdue",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
          {
            "channel": "collections",
            "conditions": [
              {
                "condition": "only_when_overdue",
              },
              {
                "condition": "only_if_unpaid_since_previous",
              },
            ],
            "daysFromDue": 21,
            "escalation": "collections",
            "localDate": "2026-11-30",
            "localTime": "09:05",
            "movedBecause": [],
            "nominalDate": "2026-11-30",
            "occurrence": 0,
            "sendAt": "2026-11-30T08:05:00.000Z",
            "status": "planned",
            "stepId": "collections-handover#0",
            "stepKey": "collections-handover",
            "templateKey": "sms-collections-handover",
            "timeZone": "Europe/Warsaw",
            "utcOffset": "+01:00",
          },
        ],
        "issueDate": "2026-10-16",
        "sendWindow": {
          "end": "17:00",
          "start": "09:00",
        },
        "timeZone": "Europe/Warsaw",
      }
    `);
  });
});

describe('previewSchedule statuses, conditions and labels', () => {
  const step = (overrides: Partial<PolicyStep> & Pick<PolicyStep, 'key'>): PolicyStep => ({
    anchor: 'due_date',
    offsetDays: 0,
    channel: 'email',
    templateKey: overrides.key,
    escalation: 'courteous',
    minBalanceMinor: 0,
    onlyWhenOverdue: false,
    onlyIfUnpaidSincePrevious: false,
    ...overrides,
  });
  const policyOf = (steps: PolicyStep[]): ReminderPolicy => ({ ...DEFAULT_POLICY, steps });

  it('marks steps before now as past and keeps the rest planned', () => {
    const preview = previewSchedule({
      policy: DEFAULT_POLICY,
      ...polishInvoice,
      now: Date.parse('2026-11-09T12:00:00Z'),
    });
    expect(preview.entries.map((e) => `${e.stepId} ${e.status}`)).toEqual([
      'issue-email#0 past',
      'pre-due-email#0 past',
      'due-day-email#0 past',
      'due-day-sms#0 past',
      'overdue-email#0 planned',
      'overdue-email#1 planned',
      'firm-overdue-email#0 planned',
      'overdue-call#0 planned',
      'final-notice-letter#0 planned',
      'collections-handover#0 planned',
    ]);
  });

  it('lists dropped occurrences in send order with the reason and the step sent instead', () => {
    // Due Friday 6 Nov 2026: the Saturday and Sunday overdue e-mails meet the Monday one.
    const preview = previewSchedule({
      ...polishInvoice,
      dueDate: '2026-11-06',
      policy: policyOf([
        step({ key: 'late-on-due-day', onlyWhenOverdue: true }),
        step({ key: 'daily', offsetDays: 1, onlyWhenOverdue: true, repeat: { everyDays: 1, maxTimes: 3 } }),
      ]),
    });
    expect(
      preview.entries.map(
        (e) =>
          `${e.stepId} ${e.localDate} ${e.status}${e.droppedBecause ? ` ${e.droppedBecause}` : ''}${
            e.replacedBy ? ` ${e.replacedBy}` : ''
          }`,
      ),
    ).toEqual([
      'late-on-due-day#0 2026-11-06 dropped not_overdue_on_day',
      'daily#0 2026-11-09 dropped replaced_by daily#2',
      'daily#1 2026-11-09 dropped replaced_by daily#2',
      'daily#2 2026-11-09 planned',
    ]);
  });

  it('names the send-time conditions, with the minimum balance and whether the balance meets it', () => {
    const conditionsOf = (balanceMinor?: number) =>
      previewSchedule({
        ...polishInvoice,
        ...(balanceMinor === undefined ? {} : { balanceMinor }),
        policy: policyOf([
          step({
            key: 'big-only',
            offsetDays: 3,
            minBalanceMinor: 50_00,
            onlyWhenOverdue: true,
            onlyIfUnpaidSincePrevious: true,
          }),
        ]),
      }).entries[0]?.conditions;
    expect(conditionsOf()).toEqual([
      { condition: 'only_when_overdue' },
      { condition: 'only_if_unpaid_since_previous' },
      { condition: 'min_balance', minBalanceMinor: 5000 },
    ]);
    expect(conditionsOf(4999)?.[2]).toEqual({
      condition: 'min_balance',
      minBalanceMinor: 5000,
      metByCurrentBalance: false,
    });
    expect(conditionsOf(5000)?.[2]).toMatchObject({ metByCurrentBalance: true });
  });

  it('writes a label for the reader in their locale, zone named', () => {
    const [first] = previewSchedule({ policy: DEFAULT_POLICY, ...polishInvoice, locale: 'en-GB' }).entries;
    expect(first?.label).toBe('Friday, 16 October 2026 at 09:05 CEST');
  });

  it('has no after-payment entry for a policy without a paid-anchored step', () => {
    expect(
      previewSchedule({ ...polishInvoice, policy: policyOf([step({ key: 'due' })]) }).afterPayment,
    ).toBeNull();
  });

  it('is plain data that survives JSON', () => {
    const preview = previewSchedule({ policy: SMS_SCENARIO_POLICY, ...polishInvoice, now: 0 });
    expect(JSON.parse(JSON.stringify(preview))).toEqual(preview);
  });
});
