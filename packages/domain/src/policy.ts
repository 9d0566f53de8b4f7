import { isValidTime } from './calendar';

export const CHANNELS = ['email', 'sms', 'letter', 'call', 'collections'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Escalation levels from mildest to strongest; the order is used to pick the stronger of two steps. */
export const ESCALATIONS = ['courteous', 'firm', 'final', 'collections'] as const;
export type Escalation = (typeof ESCALATIONS)[number];

export const STEP_ANCHORS = ['issue_date', 'due_date', 'paid'] as const;
export type StepAnchor = (typeof STEP_ANCHORS)[number];

export interface PolicyStep {
  /** Unique within the policy, e.g. `due-day-email`; part of every planned step id. */
  key: string;
  /** `paid` marks the thank-you receipt sent once the invoice is fully paid. */
  anchor: StepAnchor;
  /** Calendar days from the anchor; negative = before it. */
  offsetDays: number;
  channel: Channel;
  templateKey: string;
  escalation: Escalation;
  /** The step is skipped when the open balance (minor units of the invoice currency) is below this. */
  minBalanceMinor: number;
  /** The step is skipped unless the due date has passed on the day it is sent. */
  onlyWhenOverdue: boolean;
  /** The step is skipped when any payment arrived since the previous step was sent. */
  onlyIfUnpaidSincePrevious: boolean;
  /**
   * Repeat the step every `everyDays` days after its first occurrence. `maxTimes` caps the total
   * number of occurrences (the first included); `untilOffsetDays` is the last offset from the anchor
   * an occurrence may have. At least one bound is required; with both, whichever stops first wins.
   */
  repeat?: { everyDays: number; maxTimes?: number; untilOffsetDays?: number };
}

/**
 * Which statutory late-payment rule a final notice claims: `auto` picks it from the creditor's and the
 * debtor's country (see `lateChargesRuleFor` in charges), the others force one.
 */
export const LATE_CHARGES_JURISDICTIONS = ['auto', 'eu', 'de', 'fr', 'pl', 'uk'] as const;
export type LateChargesJurisdiction = (typeof LATE_CHARGES_JURISDICTIONS)[number];

export interface ReminderPolicy {
  /** `HH:MM` local to the customer; messages go out at `start`, and never after `end`. */
  sendWindow: { start: string; end: string };
  /**
   * Messages go out on the customer's business days only: weekends and the public holidays of its
   * country are skipped (the default). Off: every day of the week.
   */
  businessDaysOnly: boolean;
  /** Whether statutory interest and compensation are claimed in the final notice and the portal. */
  lateCharges: boolean;
  /** Days after a promised date before reminders resume. */
  promiseGraceDays: number;
  /** How far ahead a debtor may promise to pay, in days. */
  maxPromiseDays: number;
  /** How many times a debtor may replace a promise on one invoice (0 = one promise, never renewed). */
  maxPromiseRenewals: number;
  /**
   * One message per customer per day across channels: an e-mail sent today covers the same day's SMS
   * (the stronger step's channel wins). Off: one message per customer per channel per day.
   */
  mergeAcrossChannels: boolean;
  /** The statutory rule behind `lateCharges`; `auto` by the creditor's and debtor's countries. */
  lateChargesJurisdiction: LateChargesJurisdiction;
  steps: PolicyStep[];
}

/**
 * The graded sequence from the source documents: a note on issue day, a courteous reminder two days
 * before the due date, e-mail and SMS on the due date, weekly firm reminders from two days after it,
 * a call and a firm e-mail at two weeks, a formal letter at three weeks, then collections.
 */
export const DEFAULT_POLICY: ReminderPolicy = {
  sendWindow: { start: '09:00', end: '17:00' },
  businessDaysOnly: true,
  lateCharges: true,
  promiseGraceDays: 2,
  maxPromiseDays: 30,
  maxPromiseRenewals: 1,
  mergeAcrossChannels: false,
  lateChargesJurisdiction: 'auto',
  steps: [
    {
      key: 'issue-email',
      anchor: 'issue_date',
      offsetDays: 0,
      channel: 'email',
      templateKey: 'invoice-issued',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
    {
      key: 'pre-due-email',
      anchor: 'due_date',
      offsetDays: -2,
      channel: 'email',
      templateKey: 'pre-due',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
    {
      key: 'due-day-email',
      anchor: 'due_date',
      offsetDays: 0,
      channel: 'email',
      templateKey: 'due-day',
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
      templateKey: 'due-day',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
    {
      key: 'overdue-email',
      anchor: 'due_date',
      offsetDays: 2,
      channel: 'email',
      templateKey: 'overdue',
      escalation: 'firm',
      minBalanceMinor: 0,
      onlyWhenOverdue: true,
      onlyIfUnpaidSincePrevious: false,
      repeat: { everyDays: 7, untilOffsetDays: 13 },
    },
    {
      key: 'firm-overdue-email',
      anchor: 'due_date',
      offsetDays: 14,
      channel: 'email',
      templateKey: 'firm-overdue',
      escalation: 'firm',
      minBalanceMinor: 0,
      onlyWhenOverdue: true,
      onlyIfUnpaidSincePrevious: false,
    },
    {
      key: 'overdue-call',
      anchor: 'due_date',
      offsetDays: 14,
      channel: 'call',
      templateKey: 'call-script',
      escalation: 'firm',
      minBalanceMinor: 0,
      onlyWhenOverdue: true,
      // A part payment since the last message shows the debtor is engaging; a person looks before
      // the heavier steps go ahead.
      onlyIfUnpaidSincePrevious: true,
    },
    {
      key: 'final-notice-letter',
      anchor: 'due_date',
      offsetDays: 21,
      channel: 'letter',
      templateKey: 'final-notice',
      escalation: 'final',
      minBalanceMinor: 0,
      onlyWhenOverdue: true,
      onlyIfUnpaidSincePrevious: true,
    },
    {
      key: 'collections-handover',
      anchor: 'due_date',
      offsetDays: 22,
      channel: 'collections',
      templateKey: 'collections-handover',
      escalation: 'collections',
      minBalanceMinor: 0,
      onlyWhenOverdue: true,
      onlyIfUnpaidSincePrevious: true,
    },
    {
      key: 'thank-you',
      anchor: 'paid',
      offsetDays: 0,
      channel: 'email',
      templateKey: 'thank-you',
      escalation: 'courteous',
      minBalanceMinor: 0,
      onlyWhenOverdue: false,
      onlyIfUnpaidSincePrevious: false,
    },
  ],
};

/** Rank of an escalation level, 0 = courteous; higher is stronger. */
export function escalationRank(escalation: Escalation): number {
  return ESCALATIONS.indexOf(escalation);
}

export interface PolicyValidationError {
  path: string;
  message: string;
}

export type PolicyValidationResult =
  | { ok: true; policy: ReminderPolicy }
  | { ok: false; errors: PolicyValidationError[] };

// Ten years either way: wide enough for any real sequence, small enough that expanding repeats
// stays cheap inside a workflow.
const MAX_OFFSET_DAYS = 3650;
const MAX_REPEAT_TIMES = 366;

type Errors = PolicyValidationError[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readInteger(
  value: unknown,
  path: string,
  errors: Errors,
  { min, max }: { min: number; max: number },
): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.push({ path, message: 'must be a whole number' });
    return undefined;
  }
  if (value < min || value > max) {
    errors.push({ path, message: `must be between ${min} and ${max}` });
    return undefined;
  }
  return value;
}

function readBoolean(value: unknown, path: string, errors: Errors): boolean | undefined {
  if (typeof value !== 'boolean') {
    errors.push({ path, message: 'must be true or false' });
    return undefined;
  }
  return value;
}

function readKey(value: unknown, path: string, errors: Errors): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ path, message: 'must be a non-empty string' });
    return undefined;
  }
  if (value.length > 100) {
    errors.push({ path, message: 'must be at most 100 characters' });
    return undefined;
  }
  return value;
}

function readEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  errors: Errors,
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  errors.push({ path, message: `must be one of ${allowed.map((v) => `'${v}'`).join(', ')}` });
  return undefined;
}

function readTime(value: unknown, path: string, errors: Errors): string | undefined {
  if (!isValidTime(value)) {
    errors.push({ path, message: 'must be a time HH:MM between 00:00 and 23:59' });
    return undefined;
  }
  return value;
}

function readRepeat(
  value: unknown,
  path: string,
  offsetDays: number | undefined,
  errors: Errors,
): PolicyStep['repeat'] {
  if (!isRecord(value)) {
    errors.push({ path, message: 'must be an object { everyDays, maxTimes?, untilOffsetDays? }' });
    return undefined;
  }
  const everyDays = readInteger(value.everyDays, `${path}.everyDays`, errors, {
    min: 1,
    max: MAX_OFFSET_DAYS,
  });
  const maxTimes =
    value.maxTimes === undefined
      ? undefined
      : readInteger(value.maxTimes, `${path}.maxTimes`, errors, { min: 1, max: MAX_REPEAT_TIMES });
  const untilOffsetDays =
    value.untilOffsetDays === undefined
      ? undefined
      : readInteger(value.untilOffsetDays, `${path}.untilOffsetDays`, errors, {
          min: -MAX_OFFSET_DAYS,
          max: MAX_OFFSET_DAYS,
        });
  if (value.maxTimes === undefined && value.untilOffsetDays === undefined) {
    errors.push({
      path,
      message: 'a repeat needs a bound: set maxTimes, untilOffsetDays or both, or it would never stop',
    });
    return undefined;
  }
  if (untilOffsetDays !== undefined && offsetDays !== undefined && untilOffsetDays < offsetDays) {
    errors.push({
      path: `${path}.untilOffsetDays`,
      message: `must not be before the step's own offsetDays (${offsetDays})`,
    });
    return undefined;
  }
  if (everyDays === undefined) return undefined;
  return {
    everyDays,
    ...(maxTimes === undefined ? {} : { maxTimes }),
    ...(untilOffsetDays === undefined ? {} : { untilOffsetDays }),
  };
}

function readStep(value: unknown, path: string, errors: Errors): PolicyStep | undefined {
  if (!isRecord(value)) {
    errors.push({ path, message: 'must be an object' });
    return undefined;
  }
  const before = errors.length;
  const key = readKey(value.key, `${path}.key`, errors);
  const anchor = readEnum(value.anchor, STEP_ANCHORS, `${path}.anchor`, errors);
  const offsetDays = readInteger(value.offsetDays, `${path}.offsetDays`, errors, {
    min: -MAX_OFFSET_DAYS,
    max: MAX_OFFSET_DAYS,
  });
  const channel = readEnum(value.channel, CHANNELS, `${path}.channel`, errors);
  const templateKey = readKey(value.templateKey, `${path}.templateKey`, errors);
  const escalation = readEnum(value.escalation, ESCALATIONS, `${path}.escalation`, errors);
  const minBalanceMinor = readInteger(value.minBalanceMinor, `${path}.minBalanceMinor`, errors, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  });
  const onlyWhenOverdue = readBoolean(value.onlyWhenOverdue, `${path}.onlyWhenOverdue`, errors);
  const onlyIfUnpaidSincePrevious = readBoolean(
    value.onlyIfUnpaidSincePrevious,
    `${path}.onlyIfUnpaidSincePrevious`,
    errors,
  );
  let repeat: PolicyStep['repeat'];
  if (value.repeat !== undefined && value.repeat !== null) {
    if (anchor === 'paid') {
      errors.push({
        path: `${path}.repeat`,
        message: "a step anchored to 'paid' is sent once and cannot repeat",
      });
    } else {
      repeat = readRepeat(value.repeat, `${path}.repeat`, offsetDays, errors);
    }
  }
  if (anchor === 'paid' && offsetDays !== undefined && offsetDays < 0) {
    errors.push({
      path: `${path}.offsetDays`,
      message: "a step anchored to 'paid' cannot come before the payment",
    });
  }
  if (
    errors.length > before ||
    key === undefined ||
    anchor === undefined ||
    offsetDays === undefined ||
    channel === undefined ||
    templateKey === undefined ||
    escalation === undefined ||
    minBalanceMinor === undefined ||
    onlyWhenOverdue === undefined ||
    onlyIfUnpaidSincePrevious === undefined
  ) {
    return undefined;
  }
  return {
    key,
    anchor,
    offsetDays,
    channel,
    templateKey,
    escalation,
    minBalanceMinor,
    onlyWhenOverdue,
    onlyIfUnpaidSincePrevious,
    ...(repeat ? { repeat } : {}),
  };
}

/** Checks an untrusted policy (API body, database row) and returns a clean copy or every problem found. */
export function validatePolicy(policy: unknown): PolicyValidationResult {
  const errors: Errors = [];
  if (!isRecord(policy)) return { ok: false, errors: [{ path: '', message: 'must be an object' }] };

  let sendWindow: ReminderPolicy['sendWindow'] | undefined;
  if (!isRecord(policy.sendWindow)) {
    errors.push({ path: 'sendWindow', message: "must be an object { start: 'HH:MM', end: 'HH:MM' }" });
  } else {
    const start = readTime(policy.sendWindow.start, 'sendWindow.start', errors);
    const end = readTime(policy.sendWindow.end, 'sendWindow.end', errors);
    if (start !== undefined && end !== undefined) {
      // Zero-padded HH:MM strings compare in time order.
      if (start >= end) errors.push({ path: 'sendWindow', message: 'start must be before end' });
      else sendWindow = { start, end };
    }
  }
  const lateCharges = readBoolean(policy.lateCharges, 'lateCharges', errors);
  const promiseGraceDays = readInteger(policy.promiseGraceDays, 'promiseGraceDays', errors, {
    min: 0,
    max: 365,
  });
  const maxPromiseDays = readInteger(policy.maxPromiseDays, 'maxPromiseDays', errors, { min: 1, max: 365 });
  // Settings added after the first release default when absent, so older clients keep working.
  const businessDaysOnly =
    policy.businessDaysOnly === undefined
      ? DEFAULT_POLICY.businessDaysOnly
      : readBoolean(policy.businessDaysOnly, 'businessDaysOnly', errors);
  const maxPromiseRenewals =
    policy.maxPromiseRenewals === undefined
      ? DEFAULT_POLICY.maxPromiseRenewals
      : readInteger(policy.maxPromiseRenewals, 'maxPromiseRenewals', errors, { min: 0, max: 10 });
  const mergeAcrossChannels =
    policy.mergeAcrossChannels === undefined
      ? DEFAULT_POLICY.mergeAcrossChannels
      : readBoolean(policy.mergeAcrossChannels, 'mergeAcrossChannels', errors);
  const lateChargesJurisdiction =
    policy.lateChargesJurisdiction === undefined
      ? DEFAULT_POLICY.lateChargesJurisdiction
      : readEnum(
          policy.lateChargesJurisdiction,
          LATE_CHARGES_JURISDICTIONS,
          'lateChargesJurisdiction',
          errors,
        );

  const steps: PolicyStep[] = [];
  if (!Array.isArray(policy.steps)) {
    errors.push({ path: 'steps', message: 'must be a list of steps' });
  } else {
    const seenKeys = new Map<string, number>();
    let paidStepIndex: number | undefined;
    policy.steps.forEach((raw: unknown, index) => {
      const path = `steps[${index}]`;
      const step = readStep(raw, path, errors);
      if (!step) return;
      const firstIndex = seenKeys.get(step.key);
      if (firstIndex !== undefined) {
        errors.push({
          path: `${path}.key`,
          message: `duplicate key '${step.key}' (already used by steps[${firstIndex}])`,
        });
        return;
      }
      seenKeys.set(step.key, index);
      if (step.anchor === 'paid') {
        if (paidStepIndex !== undefined) {
          errors.push({
            path: `${path}.anchor`,
            message: `only one step can be anchored to 'paid' (steps[${paidStepIndex}] already is)`,
          });
          return;
        }
        paidStepIndex = index;
      }
      steps.push(step);
    });
  }

  if (
    errors.length > 0 ||
    sendWindow === undefined ||
    businessDaysOnly === undefined ||
    lateCharges === undefined ||
    promiseGraceDays === undefined ||
    maxPromiseDays === undefined ||
    maxPromiseRenewals === undefined ||
    mergeAcrossChannels === undefined ||
    lateChargesJurisdiction === undefined
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    policy: {
      sendWindow,
      businessDaysOnly,
      lateCharges,
      promiseGraceDays,
      maxPromiseDays,
      maxPromiseRenewals,
      mergeAcrossChannels,
      lateChargesJurisdiction,
      steps,
    },
  };
}
