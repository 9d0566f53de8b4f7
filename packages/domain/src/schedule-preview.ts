import { DomainError } from './errors';
import {
  explainPlan,
  type PlanDropReason,
  type PlannedStep,
  planThankYou,
  type StepMoveReason,
} from './planning';
import type { Channel, Escalation, PolicyStep, ReminderPolicy } from './policy';

/**
 * A send-time condition of a step: planning cannot decide it, so the step may still be skipped when
 * its time comes. `min_balance` carries the amount (minor units of the invoice currency) and, when the
 * preview was given the current balance, whether that balance meets it.
 */
export type ScheduleCondition =
  | { condition: 'only_when_overdue' }
  | { condition: 'only_if_unpaid_since_previous' }
  | { condition: 'min_balance'; minBalanceMinor: number; metByCurrentBalance?: boolean };

/**
 * `planned`: will be sent at `sendAt` unless a condition or a hold (payment, dispute, pause) stops it;
 * `past`: its time is before the preview's `now`; `dropped`: planning leaves it out (`droppedBecause`).
 */
export type ScheduleEntryStatus = 'planned' | 'past' | 'dropped';

/** One occurrence of a dated policy step as people read it: when, how, and why then. */
export interface ScheduleEntry {
  /** The planned step id (`stepKey#occurrence`), as in the message's idempotency key. */
  stepId: string;
  stepKey: string;
  occurrence: number;
  channel: Channel;
  templateKey: string;
  escalation: Escalation;
  /** ISO 8601 UTC. */
  sendAt: string;
  /** `YYYY-MM-DD` in the customer's time zone. */
  localDate: string;
  /** `HH:MM` (24-hour) in the customer's time zone. */
  localTime: string;
  timeZone: string;
  /** The zone's offset from UTC at `sendAt`, e.g. `+01:00`. */
  utcOffset: string;
  daysFromDue: number;
  /** The day the policy asks for (anchor plus offset) before weekend and holiday shifts. */
  nominalDate: string;
  movedBecause: StepMoveReason[];
  conditions: ScheduleCondition[];
  status: ScheduleEntryStatus;
  /** With status `dropped`. */
  droppedBecause?: PlanDropReason;
  /** With `droppedBecause: 'replaced_by'`: the step id sent in this one's place. */
  replacedBy?: string;
  /** With a `locale`: the local date and time written for people, zone named. */
  label?: string;
}

/** The paid-anchored step: it has no date of its own, it goes out once the invoice is fully paid. */
export interface AfterPaymentEntry {
  stepKey: string;
  channel: Channel;
  templateKey: string;
  escalation: Escalation;
  offsetDays: number;
  /** `after full payment`, or `N days after full payment`; sent within the send window. */
  when: string;
  conditions: ScheduleCondition[];
}

export interface SchedulePreview {
  issueDate: string;
  dueDate: string;
  timeZone: string;
  country: string;
  sendWindow: ReminderPolicy['sendWindow'];
  /** Every occurrence of the policy's dated steps, planned or dropped, in send order. */
  entries: ScheduleEntry[];
  /** The thank-you, or null when the policy has no step anchored to `paid`. */
  afterPayment: AfterPaymentEntry | null;
}

export interface SchedulePreviewInput {
  policy: ReminderPolicy;
  issueDate: string;
  dueDate: string;
  /** The customer's IANA time zone. */
  timeZone: string;
  /** The customer's ISO country (or `CC-SS`), for weekends and public holidays. */
  country: string;
  /** The invoice id (or any stable key for a draft): decides the minute the window opens for it. */
  jitterKey: string;
  /** A BCP 47 locale: adds a `label` to each entry written for that reader. */
  locale?: string;
  /** The open balance in minor units: says whether each `min_balance` condition is met today. */
  balanceMinor?: number;
  /** Epoch ms: entries before it are `past`. Absent: nothing is past. */
  now?: number;
}

function conditionsOf(step: PolicyStep, balanceMinor: number | undefined): ScheduleCondition[] {
  const conditions: ScheduleCondition[] = [];
  if (step.onlyWhenOverdue) conditions.push({ condition: 'only_when_overdue' });
  if (step.onlyIfUnpaidSincePrevious) conditions.push({ condition: 'only_if_unpaid_since_previous' });
  // A zero minimum never skips anything; listing it would only be noise.
  if (step.minBalanceMinor > 0) {
    conditions.push({
      condition: 'min_balance',
      minBalanceMinor: step.minBalanceMinor,
      ...(balanceMinor === undefined ? {} : { metByCurrentBalance: balanceMinor >= step.minBalanceMinor }),
    });
  }
  return conditions;
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time and UTC offset at `at` in `timeZone`, read from Intl. */
function wallClockAt(at: number, timeZone: string): { localTime: string; utcOffset: string } {
  let formatter = clockFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    clockFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  // `GMT+01:00`, or a bare `GMT` for UTC itself.
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '');
  return { localTime: `${parts.hour}:${parts.minute}`, utcOffset: offset === '' ? '+00:00' : offset };
}

function labelFormatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
  } catch {
    throw new DomainError('invalid_input', `Unknown locale ${JSON.stringify(locale)}`);
  }
}

/**
 * Every message a policy plans for one invoice, with its local date and time, channel, template,
 * escalation, why it moved and what may still skip it, plus the thank-you after payment. Pure: the
 * same input gives the same preview, and it is the plan the workflow runs (same `explainPlan`).
 */
export function previewSchedule(input: SchedulePreviewInput): SchedulePreview {
  const { policy, timeZone } = input;
  const explanation = explainPlan({
    issueDate: input.issueDate,
    dueDate: input.dueDate,
    timeZone,
    country: input.country,
    policy,
    jitterKey: input.jitterKey,
  });
  const stepsByKey = new Map(policy.steps.map((step) => [step.key, step]));
  const label = input.locale === undefined ? undefined : labelFormatter(input.locale, timeZone);

  const entryOf = (
    planned: PlannedStep,
    drop?: { reason: PlanDropReason; replacedBy?: string },
  ): ScheduleEntry & { order: number } => {
    const step = stepsByKey.get(planned.stepKey);
    const status: ScheduleEntryStatus = drop
      ? 'dropped'
      : input.now !== undefined && planned.sendAt < input.now
        ? 'past'
        : 'planned';
    return {
      stepId: planned.id,
      stepKey: planned.stepKey,
      occurrence: planned.occurrence,
      channel: planned.channel,
      templateKey: planned.templateKey,
      escalation: planned.escalation,
      sendAt: new Date(planned.sendAt).toISOString(),
      localDate: planned.localDate,
      ...wallClockAt(planned.sendAt, timeZone),
      timeZone,
      daysFromDue: planned.daysFromDue,
      nominalDate: planned.nominalDate,
      movedBecause: planned.movedBecause,
      conditions: step ? conditionsOf(step, input.balanceMinor) : [],
      status,
      ...(drop ? { droppedBecause: drop.reason } : {}),
      ...(drop?.replacedBy === undefined ? {} : { replacedBy: drop.replacedBy }),
      ...(label ? { label: label.format(planned.sendAt) } : {}),
      order: policy.steps.findIndex((s) => s.key === planned.stepKey),
    };
  };

  const entries = [
    ...explanation.planned.map((planned) => entryOf(planned)),
    ...explanation.dropped.map(({ reason, replacedBy, ...planned }) =>
      entryOf(planned, { reason, ...(replacedBy === undefined ? {} : { replacedBy }) }),
    ),
  ]
    // Same instant: policy order, then the occurrence, as planning orders them.
    .sort((a, b) => a.sendAt.localeCompare(b.sendAt) || a.order - b.order || a.occurrence - b.occurrence)
    .map(({ order: _order, ...entry }) => entry);

  const thankYou = planThankYou(policy);
  return {
    issueDate: input.issueDate,
    dueDate: input.dueDate,
    timeZone,
    country: input.country,
    sendWindow: policy.sendWindow,
    entries,
    afterPayment: thankYou
      ? {
          stepKey: thankYou.key,
          channel: thankYou.channel,
          templateKey: thankYou.templateKey,
          escalation: thankYou.escalation,
          offsetDays: thankYou.offsetDays,
          when:
            thankYou.offsetDays === 0
              ? 'after full payment'
              : `${thankYou.offsetDays} day${thankYou.offsetDays === 1 ? '' : 's'} after full payment`,
          // Sent once the balance is nil, so today's balance says nothing about its conditions.
          conditions: conditionsOf(thankYou, undefined),
        }
      : null,
  };
}
