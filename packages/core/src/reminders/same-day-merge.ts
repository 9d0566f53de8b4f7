import {
  type DbOrTx,
  getInvoiceHolds,
  hasPaymentSince,
  type Invoice,
  lastReminderAt,
  listMessagesCoveringInvoice,
  listOpenInvoicesOfCustomer,
} from '@settle/db';
import {
  type Channel,
  escalationRank,
  localDateOf,
  localDateTimeToInstant,
  type PlannedStep,
  type PolicyStep,
  planReminders,
  stepSkipReason,
} from '@settle/domain';
import type { ReminderContext } from './reminder-context';

/** A message channel that can cover several invoices (calls and hand-overs are tasks per invoice). */
export type MergeableChannel = 'email' | 'sms' | 'letter';

/**
 * The channels one message covers on a day. E-mail and SMS are one slot when the policy merges
 * across channels; a formal letter always stands alone.
 */
export function mergedChannels(channel: MergeableChannel, mergeAcrossChannels: boolean): MergeableChannel[] {
  if (channel === 'letter' || !mergeAcrossChannels) return [channel];
  return ['email', 'sms'];
}

/** Raised while another invoice's message that lists this one is recorded but not yet delivered. */
export class CoveringMessagePendingError extends Error {
  override name = 'CoveringMessagePendingError';
}

/** Messages of the customer's today on these channels that list the invoice. */
async function messagesListingToday(
  db: DbOrTx,
  context: ReminderContext,
  invoiceId: string,
  options: { channels: MergeableChannel[]; now: Date },
) {
  const zone = context.customer.time_zone;
  const today = localDateOf(options.now.getTime(), zone);
  const rows = await listMessagesCoveringInvoice(db, {
    organizationId: context.organization.id,
    customerId: context.customer.id,
    invoiceId,
    channels: options.channels,
    // Today in any zone began less than two days ago.
    since: new Date(options.now.getTime() - 2 * 86_400_000),
  });
  return rows.filter((row) => localDateOf(row.created_at.getTime(), zone) === today);
}

/**
 * A message sent today (the customer's day) that already lists this invoice on one of `channels`,
 * so the step merges into it. Only a sent message covers: one still pending makes the caller wait
 * (the error is retried), and a cancelled or failed one covers nothing.
 */
export async function findCoveringMessage(
  db: DbOrTx,
  context: ReminderContext,
  options: { channels: MergeableChannel[]; now: Date; ownIdempotencyKey: string },
): Promise<{ communicationId: string } | null> {
  const todays = (await messagesListingToday(db, context, context.invoice.id, options)).filter(
    (row) => row.idempotency_key !== options.ownIdempotencyKey,
  );
  const sent = todays.find((row) => row.status === 'sent');
  if (sent) return { communicationId: sent.id };
  if (todays.some((row) => row.status === 'pending')) {
    throw new CoveringMessagePendingError(
      `a message listing invoice ${context.invoice.number} is recorded but not yet delivered`,
    );
  }
  return null;
}

/** Why a step's send-time conditions fail now, in words for the history, or null when it may go. */
export async function sendTimeSkipReason(
  db: DbOrTx,
  options: { invoice: Invoice; policyStep: PolicyStep; today: string; timeZone: string },
): Promise<string | null> {
  const { invoice } = options;
  // "The previous step" is the last one before today's: a step's same-day siblings do not count.
  const previous = await lastReminderAt(db, {
    invoiceId: invoice.id,
    before: new Date(localDateTimeToInstant(options.today, '00:00', options.timeZone)),
  });
  const reason = stepSkipReason(options.policyStep, {
    balanceMinor: invoice.total_minor - invoice.paid_minor,
    dueDate: invoice.due_date,
    today: options.today,
    paidSincePrevious: previous ? await hasPaymentSince(db, invoice.id, previous) : false,
  });
  switch (reason) {
    case undefined:
      return null;
    case 'below_min_balance':
      return 'balance below the step minimum';
    case 'not_overdue':
      return 'not overdue';
    case 'paid_since_previous':
      return 'a payment arrived since the previous reminder';
  }
}

/** Whether a message of today on these channels (sent or on its way) already lists the invoice. */
async function isRemindedToday(
  db: DbOrTx,
  context: ReminderContext,
  invoice: Invoice,
  options: { channels: MergeableChannel[]; now: Date },
): Promise<boolean> {
  const rows = await messagesListingToday(db, context, invoice.id, options);
  return rows.some((row) => row.status === 'sent' || row.status === 'pending');
}

export interface Companion {
  invoice: Invoice;
  step: PlannedStep;
}

/**
 * The customer's other open invoices due a reminder today on the same channels: not on hold, with a
 * step planned for today whose send-time conditions hold. They are listed in this message instead of
 * getting one of their own (never two messages to a customer on a channel on one day).
 */
export async function findSameDayCompanions(
  db: DbOrTx,
  context: ReminderContext,
  options: { channels: MergeableChannel[]; now: Date },
): Promise<Companion[]> {
  const { customer, policy } = context;
  const today = localDateOf(options.now.getTime(), customer.time_zone);
  const others = (await listOpenInvoicesOfCustomer(db, context.organization.id, customer.id)).filter(
    (other) => other.id !== context.invoice.id,
  );
  const companions: Companion[] = [];
  for (const other of others) {
    if ((await getInvoiceHolds(db, other)).holds.length > 0) continue;
    if (await isRemindedToday(db, context, other, options)) continue;
    const planned = planReminders({
      issueDate: other.issue_date,
      dueDate: other.due_date,
      timeZone: customer.time_zone,
      country: customer.country,
      policy,
      jitterKey: other.id,
    })
      .filter((s) => s.localDate === today && (options.channels as Channel[]).includes(s.channel))
      .sort((a, b) => escalationRank(b.escalation) - escalationRank(a.escalation));
    for (const step of planned) {
      const policyStep = policy.steps.find((s) => s.key === step.stepKey);
      if (!policyStep) continue;
      const timeZone = customer.time_zone;
      if (await sendTimeSkipReason(db, { invoice: other, policyStep, today, timeZone })) continue;
      companions.push({ invoice: other, step });
      break;
    }
  }
  return companions;
}

/** The step whose message goes out for all: the strongest escalation; on a tie, the step's own. */
export function strongestStep(own: PlannedStep, companions: readonly Companion[]): PlannedStep {
  return companions.reduce(
    (best, { step }) => (escalationRank(step.escalation) > escalationRank(best.escalation) ? step : best),
    own,
  );
}
