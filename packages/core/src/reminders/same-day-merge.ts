import {
  type CustomerRecentMessage,
  type DbOrTx,
  type Invoice,
  type InvoiceHold,
  loadCustomerSendState,
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

/** The name of the customer's daily slot these channels share: `email`, `sms`, `letter`, `email+sms`. */
export function daySlotOf(channels: readonly MergeableChannel[]): string {
  return channels.join('+');
}

/** Raised while another invoice's message that lists this one is recorded but not yet delivered. */
export class CoveringMessagePendingError extends Error {
  override name = 'CoveringMessagePendingError';
}

/**
 * The customer's reminder on this channel went out today without this invoice (it arrived, or left a
 * hold, afterwards): one reminder per customer, channel and day, so this step waits for the
 * customer's next sending day's window. Retried like a covering message on its way; `resumeAt` is
 * the earliest instant a retry can send.
 */
export class ReminderDeferredError extends CoveringMessagePendingError {
  override name = 'ReminderDeferredError';
  constructor(
    message: string,
    readonly resumeAt: Date,
  ) {
    super(message);
  }
}

/**
 * Everything the send decision reads about the customer's day, for all the customer's open invoices
 * at once (a fixed number of statements, see `loadCustomerSendState`).
 */
export interface CustomerDay {
  today: string;
  zone: string;
  state: Awaited<ReturnType<typeof loadCustomerSendState>>;
}

/**
 * Reads the customer's day: all its open invoices, or with `onlyOwnInvoice` just the context's
 * invoice (enough to skip, merge or wait, without reading a large customer's every invoice).
 */
export async function loadCustomerDay(
  db: DbOrTx,
  context: ReminderContext,
  now: Date,
  options: { onlyOwnInvoice?: boolean } = {},
): Promise<CustomerDay> {
  const zone = context.customer.time_zone;
  const today = localDateOf(now.getTime(), zone);
  const state = await loadCustomerSendState(db, {
    organizationId: context.organization.id,
    customerId: context.customer.id,
    // Today in any zone began less than two days ago.
    messagesSince: new Date(now.getTime() - 2 * 86_400_000),
    // "The previous step" is the last one before today's: a step's same-day siblings do not count.
    remindedBefore: new Date(localDateTimeToInstant(today, '00:00', zone)),
    ...(options.onlyOwnInvoice ? { invoiceIds: [context.invoice.id] } : {}),
  });
  return { today, zone, state };
}

/** Messages of the customer's today on these channels (listing the invoice, when given). */
function messagesOfToday(
  day: CustomerDay,
  channels: readonly MergeableChannel[],
  invoiceId?: string,
): CustomerRecentMessage[] {
  return day.state.recentMessages.filter(
    (row) =>
      channels.includes(row.channel) &&
      (invoiceId === undefined || row.invoice_ids.includes(invoiceId)) &&
      localDateOf(row.created_at.getTime(), day.zone) === day.today,
  );
}

/**
 * A reminder sent today (the customer's day) that already lists this invoice on one of `channels`,
 * so the step merges into it. Only a sent message covers: one still pending makes the caller wait
 * (the error is retried), and a cancelled or failed one covers nothing.
 */
export function findCoveringMessage(
  day: CustomerDay,
  invoice: Pick<Invoice, 'id' | 'number'>,
  options: { channels: MergeableChannel[]; ownIdempotencyKey: string },
): { communicationId: string } | null {
  // Only a reminder covers a reminder: a notice (thank-you, payment failed, promise missed) holds no
  // day slot and says nothing of what the step would have said.
  const todays = messagesOfToday(day, options.channels, invoice.id).filter(
    (row) => row.idempotency_key !== options.ownIdempotencyKey && row.day_slot !== null,
  );
  const sent = todays.find((row) => row.status === 'sent');
  if (sent) return { communicationId: sent.id };
  if (todays.some((row) => row.status === 'pending')) {
    throw new CoveringMessagePendingError(
      `a message listing invoice ${invoice.number} is recorded but not yet delivered`,
    );
  }
  return null;
}

/**
 * The reminder that holds the customer's slot today on these channels and does not list the
 * invoice (one that lists it is a covering message): one reminder per customer, channel slot and
 * day, so this step sends nothing of its own. A pending one makes the caller wait, since it may
 * still fail and free the slot.
 */
export function findSlotHolder(
  day: CustomerDay,
  options: { channels: MergeableChannel[]; ownIdempotencyKey: string },
): { communicationId: string } | null {
  const slot = daySlotOf(options.channels);
  const holders = day.state.recentMessages.filter(
    (row) =>
      row.day_slot === slot &&
      row.slot_date === day.today &&
      row.idempotency_key !== options.ownIdempotencyKey &&
      (row.status === 'sent' || row.status === 'pending'),
  );
  const sent = holders.find((row) => row.status === 'sent');
  if (sent) return { communicationId: sent.id };
  if (holders.length > 0) {
    throw new CoveringMessagePendingError(
      `the customer's ${slot} reminder of ${day.today} is not yet delivered`,
    );
  }
  return null;
}

/** The holds the database records for one of the customer's open invoices. */
export function holdsOf(day: CustomerDay, invoice: Invoice): InvoiceHold[] {
  const holds: InvoiceHold[] = [];
  if (day.state.disputedInvoiceIds.has(invoice.id)) holds.push('dispute');
  if (invoice.payment_pending) holds.push('payment_pending');
  if (invoice.paused_at) holds.push('finance');
  if (day.state.promisedInvoiceIds.has(invoice.id)) holds.push('promise');
  return holds;
}

/** Why a step's send-time conditions fail now, in words for the history, or null when it may go. */
export function sendTimeSkipReason(
  day: CustomerDay,
  options: { invoice: Invoice; policyStep: PolicyStep },
): string | null {
  const { invoice } = options;
  const previous = day.state.lastRemindedAt.get(invoice.id);
  const lastPayment = day.state.lastPaymentAt.get(invoice.id);
  const reason = stepSkipReason(options.policyStep, {
    balanceMinor: invoice.total_minor - invoice.paid_minor,
    dueDate: invoice.due_date,
    today: day.today,
    paidSincePrevious: previous !== undefined && lastPayment !== undefined && lastPayment > previous,
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

export interface Companion {
  invoice: Invoice;
  step: PlannedStep;
}

/**
 * Plans of the customer's invoices, kept for one send decision: the decision runs once unlocked
 * and again under the customer's lock, and planning 1,200 invoices twice would hold the lock for
 * the second time. Keyed by what a plan depends on, so a changed invoice is planned again.
 */
export type PlanCache = Map<string, PlannedStep[]>;

function plannedSteps(plans: PlanCache, context: ReminderContext, invoice: Invoice): PlannedStep[] {
  const { customer, policy } = context;
  const key = `${invoice.id}|${invoice.issue_date}|${invoice.due_date}|${customer.time_zone}|${customer.country}`;
  let planned = plans.get(key);
  if (!planned) {
    planned = planReminders({
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      timeZone: customer.time_zone,
      country: customer.country,
      policy,
      jitterKey: invoice.id,
    });
    plans.set(key, planned);
  }
  return planned;
}

/**
 * The customer's other open invoices due a reminder today on the same channels: not on hold, not
 * yet listed in today's message, with a step planned for today whose send-time conditions hold.
 * They are listed in this message instead of getting one of their own (never two messages to a
 * customer on a channel on one day).
 */
export function findSameDayCompanions(
  day: CustomerDay,
  context: ReminderContext,
  options: { channels: MergeableChannel[]; plans: PlanCache },
): Companion[] {
  const { policy } = context;
  const remindedToday = new Set(
    messagesOfToday(day, options.channels)
      .filter((row) => row.status === 'sent' || row.status === 'pending')
      .flatMap((row) => row.invoice_ids),
  );
  const companions: Companion[] = [];
  for (const other of day.state.openInvoices) {
    if (other.id === context.invoice.id || remindedToday.has(other.id)) continue;
    if (holdsOf(day, other).length > 0) continue;
    const planned = plannedSteps(options.plans, context, other)
      .filter((s) => s.localDate === day.today && (options.channels as Channel[]).includes(s.channel))
      .sort((a, b) => escalationRank(b.escalation) - escalationRank(a.escalation));
    for (const step of planned) {
      const policyStep = policy.steps.find((s) => s.key === step.stepKey);
      if (!policyStep) continue;
      if (sendTimeSkipReason(day, { invoice: other, policyStep })) continue;
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
