import {
  addDays,
  dayOfWeek,
  daysBetween,
  isBusinessDay,
  isValidDate,
  nextBusinessDay,
  previousBusinessDay,
} from './calendar';
import { DomainError } from './errors';
import type { Channel, Escalation, PolicyStep, ReminderPolicy } from './policy';
import { escalationRank } from './policy';
import { windowOpening } from './send-window';

export interface PlanInput {
  issueDate: string;
  dueDate: string;
  /** The customer's IANA time zone; the send window is read in it. */
  timeZone: string;
  /** The customer's ISO 3166 country (or `CC-SS` subdivision) for business days. */
  country: string;
  policy: ReminderPolicy;
  /** Epoch ms: occurrences whose `sendAt` is earlier are dropped (already past when re-planning). */
  notBefore?: number;
  /**
   * The invoice id: picks the minute within the send window's first minutes at which this invoice's
   * steps go out (see `windowOpening`). Absent means `''`, so a plan is still the same on every call.
   */
  jitterKey?: string;
}

/**
 * Why a step is sent on another day than its nominal one: its day was a weekend or a public holiday
 * (one entry per kind of day passed over), and `kept_before_due` when it was pulled back to an earlier
 * business day because moving it forward would have put a pre-due reminder on or past the due date.
 */
export type StepMoveReason = 'weekend' | 'holiday' | 'kept_before_due';

export interface PlannedStep {
  /** `${stepKey}#${occurrence}`: stable across re-plans, used in idempotency keys. */
  id: string;
  stepKey: string;
  /** 0-based index of the repeat this occurrence is. */
  occurrence: number;
  channel: Channel;
  templateKey: string;
  escalation: Escalation;
  /**
   * Epoch ms: the opening of the send window on `localDate` in the customer's time zone, i.e. its
   * start plus the invoice's spread (`windowOpening` with `jitterKey`).
   */
  sendAt: number;
  /** The customer's calendar day the step is sent on, after business-day shifts. */
  localDate: string;
  /** Calendar days from the due date to `localDate` (negative before it). */
  daysFromDue: number;
  /** The anchor date plus the occurrence's offset: the day the policy asks for, before any shift. */
  nominalDate: string;
  /** Why `localDate` differs from `nominalDate`, in the order applied; empty when they are the same. */
  movedBecause: StepMoveReason[];
}

/**
 * Why planning leaves an occurrence out: its day falls before the issue date; it is only sent when
 * overdue and its day is on or before the due date; another step took its one channel slot of the
 * day (`replacedBy` names the occurrence sent instead); or its time is before `notBefore`.
 */
export type PlanDropReason = 'before_issue_date' | 'not_overdue_on_day' | 'replaced_by' | 'already_past';

/** An occurrence planning will not send, with the day and time it would have had. */
export interface DroppedStep extends PlannedStep {
  reason: PlanDropReason;
  /** With `replaced_by`: the id of the occurrence that is sent in this one's channel slot. */
  replacedBy?: string;
}

export interface PlanExplanation {
  /** Exactly `planReminders(input)`. */
  planned: PlannedStep[];
  /** Every occurrence of the policy's dated steps that is not planned, in time then policy order. */
  dropped: DroppedStep[];
}

function assertDate(value: string, name: string): void {
  if (!isValidDate(value)) {
    throw new DomainError(
      'invalid_date',
      `${name} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
  }
}

/** The offsets from the anchor of each occurrence of a step, its repeat bounds applied. */
function occurrenceOffsets(step: PolicyStep): number[] {
  const { repeat } = step;
  if (!repeat) return [step.offsetDays];
  if (!Number.isInteger(repeat.everyDays) || repeat.everyDays < 1) {
    throw new DomainError('invalid_input', `Step ${step.key}: repeat.everyDays must be a whole number ≥ 1`);
  }
  if (repeat.maxTimes === undefined && repeat.untilOffsetDays === undefined) {
    throw new DomainError('invalid_input', `Step ${step.key}: a repeat needs maxTimes or untilOffsetDays`);
  }
  const offsets: number[] = [];
  for (let offset = step.offsetDays; ; offset += repeat.everyDays) {
    if (repeat.maxTimes !== undefined && offsets.length >= repeat.maxTimes) break;
    if (repeat.untilOffsetDays !== undefined && offset > repeat.untilOffsetDays) break;
    offsets.push(offset);
  }
  return offsets;
}

/** The kinds of non-business day passed over from `nominal` (inclusive) towards `date` (exclusive). */
function skippedDayKinds(nominal: string, date: string, country: string): StepMoveReason[] {
  const kinds = new Set<StepMoveReason>();
  const step = date > nominal ? 1 : -1;
  for (let day = nominal; day !== date; day = addDays(day, step)) {
    if (isBusinessDay(day, country)) continue;
    const weekday = dayOfWeek(day);
    kinds.add(weekday === 0 || weekday === 6 ? 'weekend' : 'holiday');
  }
  return [...kinds];
}

/**
 * The day an occurrence nominally due on `nominal` is sent, and why it moved: the next business day,
 * except that a reminder meant for before the due date is pulled back instead of being pushed onto or
 * past it (a "due in two days" note that arrives on the due date says the wrong thing).
 */
function scheduledDate(
  nominal: string,
  input: PlanInput,
): { localDate: string; movedBecause: StepMoveReason[] } {
  // A policy that sends every day (a B2C creditor, the demo) keeps each step on its own day.
  if (input.policy.businessDaysOnly === false) return { localDate: nominal, movedBecause: [] };
  const forward = nextBusinessDay(nominal, input.country);
  if (nominal < input.dueDate && forward >= input.dueDate) {
    const back = previousBusinessDay(nominal, input.country);
    return {
      localDate: back,
      movedBecause: [...skippedDayKinds(nominal, back, input.country), 'kept_before_due'],
    };
  }
  return { localDate: forward, movedBecause: skippedDayKinds(nominal, forward, input.country) };
}

interface Candidate extends PlannedStep {
  policyIndex: number;
}

/** Whether `a` beats `b` for the one slot a channel has on a day: the stronger, then the later step. */
function outranks(a: Candidate, b: Candidate): boolean {
  const byEscalation = escalationRank(a.escalation) - escalationRank(b.escalation);
  if (byEscalation !== 0) return byEscalation > 0;
  if (a.policyIndex !== b.policyIndex) return a.policyIndex > b.policyIndex;
  return a.occurrence > b.occurrence;
}

const bySendOrder = (a: Candidate, b: Candidate) =>
  a.sendAt - b.sendAt || a.policyIndex - b.policyIndex || a.occurrence - b.occurrence;

/**
 * `planReminders` with its working shown: the planned steps and every occurrence it leaves out, with
 * the reason, so a schedule preview can say why a step the policy lists will not be sent.
 */
export function explainPlan(input: PlanInput): PlanExplanation {
  assertDate(input.issueDate, 'issueDate');
  assertDate(input.dueDate, 'dueDate');
  const { policy } = input;
  const windowInput = {
    timeZone: input.timeZone,
    country: input.country,
    sendWindow: policy.sendWindow,
    jitterKey: input.jitterKey ?? '',
  };

  const slots = new Map<string, Candidate>();
  const dropped: { candidate: Candidate; reason: PlanDropReason; slot?: string }[] = [];
  policy.steps.forEach((step, policyIndex) => {
    if (step.anchor === 'paid') return;
    const anchorDate = step.anchor === 'issue_date' ? input.issueDate : input.dueDate;
    occurrenceOffsets(step).forEach((offset, occurrence) => {
      const nominalDate = addDays(anchorDate, offset);
      const { localDate, movedBecause } = scheduledDate(nominalDate, input);
      const candidate: Candidate = {
        id: `${step.key}#${occurrence}`,
        stepKey: step.key,
        occurrence,
        channel: step.channel,
        templateKey: step.templateKey,
        escalation: step.escalation,
        sendAt: windowOpening(localDate, windowInput),
        localDate,
        daysFromDue: daysBetween(input.dueDate, localDate),
        nominalDate,
        movedBecause,
        policyIndex,
      };
      if (localDate < input.issueDate) {
        dropped.push({ candidate, reason: 'before_issue_date' });
        return;
      }
      // Such an occurrence could never pass its own condition at send time.
      if (step.onlyWhenOverdue && localDate <= input.dueDate) {
        dropped.push({ candidate, reason: 'not_overdue_on_day' });
        return;
      }
      // One message per channel per day: shifting can stack a weekend's steps onto Monday.
      const slot = `${localDate}|${step.channel}`;
      const current = slots.get(slot);
      if (!current) {
        slots.set(slot, candidate);
      } else if (outranks(candidate, current)) {
        slots.set(slot, candidate);
        dropped.push({ candidate: current, reason: 'replaced_by', slot });
      } else {
        dropped.push({ candidate, reason: 'replaced_by', slot });
      }
    });
  });

  const kept: Candidate[] = [];
  for (const candidate of slots.values()) {
    if (input.notBefore === undefined || candidate.sendAt >= input.notBefore) kept.push(candidate);
    else dropped.push({ candidate, reason: 'already_past' });
  }
  const withoutIndex = ({ policyIndex: _policyIndex, ...planned }: Candidate): PlannedStep => planned;
  return {
    planned: kept.sort(bySendOrder).map(withoutIndex),
    dropped: dropped
      .sort((a, b) => bySendOrder(a.candidate, b.candidate))
      .map(({ candidate, reason, slot }) => {
        // The slot's final winner, not the step that first pushed this one out.
        const replacedBy = slot === undefined ? undefined : slots.get(slot)?.id;
        return { ...withoutIndex(candidate), reason, ...(replacedBy === undefined ? {} : { replacedBy }) };
      }),
  };
}

/** Expands an invoice's policy into dated, timed steps in the customer's calendar (paid-anchored steps excluded). */
export function planReminders(input: PlanInput): PlannedStep[] {
  return explainPlan(input).planned;
}

/** The policy's thank-you step (anchored to `paid`), sent when the invoice is fully paid. */
export function planThankYou(policy: ReminderPolicy): PolicyStep | undefined {
  return policy.steps.find((step) => step.anchor === 'paid');
}

/** Calendar days past the due date on `today`; 0 on or before the due date. */
export function daysOverdue(dueDate: string, today: string): number {
  return Math.max(0, daysBetween(dueDate, today));
}

export type StepSkipReason = 'below_min_balance' | 'not_overdue' | 'paid_since_previous';

/**
 * Why a planned step must not be sent now, or undefined when it may be: the send-time conditions of
 * a policy step, which depend on the balance and payments and so cannot be decided when planning.
 */
export function stepSkipReason(
  step: Pick<PolicyStep, 'minBalanceMinor' | 'onlyWhenOverdue' | 'onlyIfUnpaidSincePrevious'>,
  context: { balanceMinor: number; dueDate: string; today: string; paidSincePrevious: boolean },
): StepSkipReason | undefined {
  if (context.balanceMinor < step.minBalanceMinor) return 'below_min_balance';
  if (step.onlyWhenOverdue && daysOverdue(context.dueDate, context.today) === 0) return 'not_overdue';
  if (step.onlyIfUnpaidSincePrevious && context.paidSincePrevious) return 'paid_since_previous';
  return undefined;
}
