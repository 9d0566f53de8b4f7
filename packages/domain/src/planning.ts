import {
  addDays,
  daysBetween,
  isValidDate,
  localDateTimeToInstant,
  nextBusinessDay,
  previousBusinessDay,
} from './calendar';
import { DomainError } from './errors';
import type { Channel, Escalation, PolicyStep, ReminderPolicy } from './policy';
import { escalationRank } from './policy';

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
}

export interface PlannedStep {
  /** `${stepKey}#${occurrence}`: stable across re-plans, used in idempotency keys. */
  id: string;
  stepKey: string;
  /** 0-based index of the repeat this occurrence is. */
  occurrence: number;
  channel: Channel;
  templateKey: string;
  escalation: Escalation;
  /** Epoch ms: the start of the send window on `localDate` in the customer's time zone. */
  sendAt: number;
  /** The customer's calendar day the step is sent on, after business-day shifts. */
  localDate: string;
  /** Calendar days from the due date to `localDate` (negative before it). */
  daysFromDue: number;
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

/**
 * The day an occurrence nominally due on `nominal` is sent: the next business day, except that a
 * reminder meant for before the due date is pulled back instead of being pushed onto or past it
 * (a "due in two days" note that arrives on the due date says the wrong thing). Undefined when the
 * day would be before the invoice was issued.
 */
function scheduledDate(nominal: string, input: PlanInput): string | undefined {
  let date = nextBusinessDay(nominal, input.country);
  if (nominal < input.dueDate && date >= input.dueDate) {
    date = previousBusinessDay(nominal, input.country);
  }
  return date < input.issueDate ? undefined : date;
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

/** Expands an invoice's policy into dated, timed steps in the customer's calendar (paid-anchored steps excluded). */
export function planReminders(input: PlanInput): PlannedStep[] {
  assertDate(input.issueDate, 'issueDate');
  assertDate(input.dueDate, 'dueDate');
  const { policy } = input;

  const slots = new Map<string, Candidate>();
  policy.steps.forEach((step, policyIndex) => {
    if (step.anchor === 'paid') return;
    const anchorDate = step.anchor === 'issue_date' ? input.issueDate : input.dueDate;
    occurrenceOffsets(step).forEach((offset, occurrence) => {
      const localDate = scheduledDate(addDays(anchorDate, offset), input);
      if (localDate === undefined) return;
      // Such an occurrence could never pass its own condition at send time.
      if (step.onlyWhenOverdue && localDate <= input.dueDate) return;
      const candidate: Candidate = {
        id: `${step.key}#${occurrence}`,
        stepKey: step.key,
        occurrence,
        channel: step.channel,
        templateKey: step.templateKey,
        escalation: step.escalation,
        sendAt: localDateTimeToInstant(localDate, policy.sendWindow.start, input.timeZone),
        localDate,
        daysFromDue: daysBetween(input.dueDate, localDate),
        policyIndex,
      };
      // One message per channel per day: shifting can stack a weekend's steps onto Monday.
      const slot = `${localDate}|${step.channel}`;
      const current = slots.get(slot);
      if (!current || outranks(candidate, current)) slots.set(slot, candidate);
    });
  });

  return [...slots.values()]
    .filter((candidate) => input.notBefore === undefined || candidate.sendAt >= input.notBefore)
    .sort((a, b) => a.sendAt - b.sendAt || a.policyIndex - b.policyIndex || a.occurrence - b.occurrence)
    .map(({ policyIndex: _policyIndex, ...planned }) => planned);
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
