import {
  cancelUnsentCommunication,
  DaySlotTakenError,
  type DbOrTx,
  findCommunicationByKey,
  insertTaskOnce,
  inTransaction,
} from '@settle/db';
import { addDays, localDateTimeToInstant, nextSendTime, type PlannedStep } from '@settle/domain';
import type { StepOutcome } from '@settle/workflows';
import { deliverRecordedMessage, withdrawRecordedMessage } from './deliver-recorded-message';
import type { ReminderDeps } from './message-ports';
import {
  type DraftedMessage,
  draftReminderMessage,
  insertDraftedMessage,
  preparePortalLink,
  type RecordMessageInput,
} from './record-reminder-message';
import { closedOrHeldReason, loadReminderContext, type ReminderContext } from './reminder-context';
import { renderReminderMessage } from './render-reminder-message';
import {
  CoveringMessagePendingError,
  type CustomerDay,
  daySlotOf,
  findCoveringMessage,
  findSameDayCompanions,
  findSlotHolder,
  loadCustomerDay,
  mergedChannels,
  type PlanCache,
  ReminderDeferredError,
  sendTimeSkipReason,
  strongestStep,
} from './same-day-merge';

export interface ExecuteReminderStepInput {
  invoiceId: string;
  /** `invoice-<id>/step-<stepId>`: the message, task and provider call all carry it. */
  idempotencyKey: string;
  step: PlannedStep;
}

/** What the step does, decided from one reading of the invoice and its customer's day. */
type StepPlan =
  /** Nothing goes out; a message an earlier attempt recorded is cancelled with the reason. */
  | { kind: 'skip'; reason: string; organizationId?: string }
  | { kind: 'merged'; communicationId: string; organizationId: string }
  /** An earlier attempt of this step recorded its message: deliver that one. */
  | { kind: 'recorded'; communicationId: string }
  | { kind: 'task'; context: ReminderContext; step: PlannedStep; fingerprint: string }
  | { kind: 'message'; context: ReminderContext; message: RecordMessageInput; fingerprint: string };

/** A plan's rendering, done outside any transaction. */
type Rendered =
  | { kind: 'message'; fingerprint: string; result: { drafted: DraftedMessage } | { problem: string } }
  | {
      kind: 'task';
      fingerprint: string;
      subject: string;
      text: string;
      portalLink: DraftedMessage['portalLink'];
    };

/** A rendering that went stale before its claim is redone this many times, then done under the lock. */
const RENDER_ROUNDS = 2;

/**
 * What goes out for one planned step of an invoice's sequence, or why nothing does: the one place
 * this is decided. It re-reads the invoice (closed or held: skipped), applies the step's send-time
 * conditions (minimum balance, only when overdue, only if unpaid since the previous step), creates
 * the call or hand-over task, or records the message — merged with the customer's other invoices
 * due a reminder today, in the strongest step's words, one per customer, channel and day — and then
 * delivers it. Missing templates and addresses become finance tasks and the sequence goes on.
 *
 * The customer's lock serializes every send of a customer, so it is held only to decide and
 * record (docs/decisions/0009-short-send-transactions.md): the step first decides and renders
 * without a lock or a transaction (templates, the customer's open invoices, late charges, HTML,
 * PDF), then, in a short transaction under the lock, decides again from fresh reads and records
 * what it rendered when the rendering's inputs are unchanged; otherwise it renders once more.
 * Provider calls come after the commit. One customer's backlog thus holds one pool connection at a
 * time for milliseconds, never the pool.
 */
export async function executeReminderStep(
  deps: ReminderDeps,
  input: ExecuteReminderStepInput,
): Promise<StepOutcome> {
  const plans: PlanCache = new Map();
  for (let round = 1; ; round++) {
    const renderUnderLock = round > RENDER_ROUNDS;
    let rendered: Rendered | null = null;
    if (!renderUnderLock) {
      const draft = await decideStep(deps.db, deps, input, plans, { lock: false });
      // Skipped or merged on committed facts, with no message of its own to cancel: no lock needed
      // (a large customer's backlog mostly merges into its first message, and ends here).
      if (
        (draft.kind === 'skip' || draft.kind === 'merged') &&
        !(await hasOwnPendingMessage(deps.db, draft, input))
      ) {
        return draft.kind === 'skip'
          ? { status: 'skipped', reason: draft.reason }
          : { status: 'merged', communicationId: draft.communicationId };
      }
      rendered = await renderPlan(deps.db, deps, draft);
    }
    let decided: Claimed;
    try {
      decided = await inTransaction(deps.db, async (tx) => {
        const plan = await decideStep(tx, deps, input, plans, { lock: true });
        const fresh = renderUnderLock ? await renderPlan(tx, deps, plan) : rendered;
        return claimStep(tx, deps, input, plan, fresh);
      });
    } catch (error) {
      // Only a path that skipped the customer's lock can get here: wait for its message, as a retry.
      if (error instanceof DaySlotTakenError) throw new CoveringMessagePendingError(error.message);
      throw error;
    }
    if (decided === 'stale') continue;
    if ('deliver' in decided) return deliverRecordedMessage(deps, decided.deliver);
    if ('withdraw' in decided) {
      const { id, reason } = decided.withdraw;
      return (await withdrawRecordedMessage(deps, id, reason)) ?? decided.outcome;
    }
    return decided;
  }
}

/**
 * Reads the invoice and the customer's day and decides. Unlocked (outside a transaction) it is the
 * draft that rendering follows; with `lock` (inside the claim's transaction) the customer and
 * invoice rows are locked first, so it sees every payment and message committed before it and no
 * concurrent send for the customer. Reads a fixed number of statements however many open invoices
 * the customer has; the plans of those invoices are kept in `plans` for the second reading.
 */
async function decideStep(
  db: DbOrTx,
  deps: ReminderDeps,
  input: ExecuteReminderStepInput,
  plans: PlanCache,
  options: { lock: boolean },
): Promise<StepPlan> {
  const context = await loadReminderContext(db, input.invoiceId, { lock: options.lock });
  const closed = closedOrHeldReason(context);
  if (!context) return { kind: 'skip', reason: 'invoice not found' };
  const organizationId = context.organization.id;
  if (closed) return { kind: 'skip', reason: closed, organizationId };
  const policyStep = context.policy.steps.find((s) => s.key === input.step.stepKey);
  if (!policyStep) return { kind: 'skip', reason: 'the step is no longer in the policy', organizationId };
  const now = deps.now();
  // The invoice's own facts first: most steps of a large customer's backlog end here (merged into
  // the message that lists them), and only a step that sends reads every invoice of the customer.
  const own = await loadCustomerDay(db, context, now, { onlyOwnInvoice: true });
  const condition = sendTimeSkipReason(own, { invoice: context.invoice, policyStep });
  if (condition) return { kind: 'skip', reason: condition, organizationId };

  const { channel } = input.step;
  if (channel === 'call' || channel === 'collections') {
    const day = await loadCustomerDay(db, context, now);
    const fingerprint = fingerprintOf(context, day, { channel, templateKey: input.step.templateKey });
    return { kind: 'task', context, step: input.step, fingerprint };
  }
  const channels = mergedChannels(channel, context.policy.mergeAcrossChannels);
  const covering = findCoveringMessage(own, context.invoice, {
    channels,
    ownIdempotencyKey: input.idempotencyKey,
  });
  if (covering) return { kind: 'merged', communicationId: covering.communicationId, organizationId };
  const ownMessage = own.state.recentMessages.find((row) => row.idempotency_key === input.idempotencyKey);
  if (ownMessage && ownMessage.status !== 'cancelled')
    return { kind: 'recorded', communicationId: ownMessage.id };
  if (!ownMessage) {
    const ownAnyDay = await findCommunicationByKey(db, context.organization.id, input.idempotencyKey);
    if (ownAnyDay && ownAnyDay.status !== 'cancelled')
      return { kind: 'recorded', communicationId: ownAnyDay.id };
  }
  const window = {
    timeZone: context.customer.time_zone,
    country: context.customer.country,
    sendWindow: context.policy.sendWindow,
    businessDaysOnly: context.policy.businessDaysOnly,
    jitterKey: context.invoice.id,
  };
  // A step planned for an earlier day and still waiting (deferred, below) goes only inside a window:
  // its retry may come at night.
  if (input.step.localDate < own.today && nextSendTime(now.getTime(), window) > now.getTime()) {
    const resumeAt = new Date(nextSendTime(now.getTime(), window));
    throw new ReminderDeferredError(
      `invoice ${context.invoice.number}: a late step waits for the send window (${resumeAt.toISOString()})`,
      resumeAt,
    );
  }
  if (findSlotHolder(own, { channels, ownIdempotencyKey: input.idempotencyKey })) {
    const tomorrow = localDateTimeToInstant(addDays(own.today, 1), '00:00', window.timeZone);
    const resumeAt = new Date(nextSendTime(tomorrow, window));
    throw new ReminderDeferredError(
      `the customer's ${daySlotOf(channels)} reminder of ${own.today} went out without invoice ${context.invoice.number} (one per customer, channel and day): this step waits for ${resumeAt.toISOString()}`,
      resumeAt,
    );
  }
  const day = await loadCustomerDay(db, context, now);
  const companions = findSameDayCompanions(day, context, { channels, plans });
  const lead = strongestStep(input.step, companions);
  const message: RecordMessageInput = {
    context,
    idempotencyKey: input.idempotencyKey,
    stepKey: input.step.id,
    // The strongest step speaks for all; its channel too, when e-mail and SMS share one slot.
    channel: lead.channel === 'call' || lead.channel === 'collections' ? channel : lead.channel,
    templateKey: lead.templateKey,
    invoices: [context.invoice, ...companions.map((companion) => companion.invoice)],
    daySlot: { slot: daySlotOf(channels), date: day.today },
  };
  return {
    kind: 'message',
    context,
    message,
    fingerprint: fingerprintOf(context, day, {
      channel: message.channel,
      templateKey: message.templateKey,
      listed: message.invoices.map((invoice) => invoice.id),
    }),
  };
}

/**
 * What a rendering depends on: the invoices it lists, every open invoice of the customer (the
 * statement's total overdue), the customer, the organization and the policy. Equal fingerprints
 * from the draft and the claim mean the rendered message is the one the claim would render.
 */
function fingerprintOf(context: ReminderContext, day: CustomerDay, decision: object): string {
  return JSON.stringify({
    decision,
    today: day.today,
    open: day.state.openInvoices,
    customer: context.customer,
    organization: context.organization,
    policy: context.policy,
    promisedDate: context.promisedDate,
  });
}

/** Renders what the plan sends (a message, or a call script), reading with `db`. */
async function renderPlan(db: DbOrTx, deps: ReminderDeps, plan: StepPlan): Promise<Rendered | null> {
  if (plan.kind === 'message') {
    return {
      kind: 'message',
      fingerprint: plan.fingerprint,
      result: await draftReminderMessage(db, deps, plan.message),
    };
  }
  if (plan.kind !== 'task') return null;
  const { context } = plan;
  const portalLink = preparePortalLink(deps, context);
  const rendered = await renderReminderMessage(db, {
    organization: context.organization,
    customer: context.customer,
    invoices: [context.invoice],
    policy: context.policy,
    now: deps.now(),
    portalUrl: portalLink.url,
    templateKey: plan.step.templateKey,
    channel: plan.step.channel,
  });
  // A task without its script is still worth doing: finance sees why the script is missing.
  const { subject, text } = rendered.ok ? rendered : { subject: '', text: rendered.problem };
  return { kind: 'task', fingerprint: plan.fingerprint, subject, text, portalLink };
}

/**
 * What the claim decided: an outcome, a recorded message to deliver, or a message of an earlier
 * attempt to withdraw after the commit (its send began, so the provider may have it), else the outcome.
 */
type Claimed =
  | StepOutcome
  | { deliver: string }
  | { withdraw: { id: string; reason: string }; outcome: StepOutcome }
  | 'stale';

/** Under the customer's lock: carries out the plan, or 'stale' when its rendering no longer fits. */
async function claimStep(
  tx: DbOrTx,
  deps: ReminderDeps,
  input: ExecuteReminderStepInput,
  plan: StepPlan,
  rendered: Rendered | null,
): Promise<Claimed> {
  switch (plan.kind) {
    case 'skip':
      // A message recorded by an earlier attempt of this step (paid before its delivery) never goes out.
      return withdrawOwnMessage(tx, plan.organizationId, input.idempotencyKey, plan.reason, {
        status: 'skipped',
        reason: plan.reason,
      });
    case 'merged':
      return withdrawOwnMessage(
        tx,
        plan.organizationId,
        input.idempotencyKey,
        'merged into another message',
        {
          status: 'merged',
          communicationId: plan.communicationId,
        },
      );
    case 'recorded':
      return { deliver: plan.communicationId };
    case 'task': {
      if (rendered?.kind !== 'task' || rendered.fingerprint !== plan.fingerprint) return 'stale';
      return createStepTask(tx, deps, plan.context, input, rendered);
    }
    case 'message': {
      if (rendered?.kind !== 'message' || rendered.fingerprint !== plan.fingerprint) return 'stale';
      const { context } = plan;
      if ('problem' in rendered.result) {
        const task = await insertTaskOnce(tx, {
          organization_id: context.organization.id,
          kind: 'failed_message',
          idempotency_key: `${input.idempotencyKey}/no-contact`,
          customer_id: context.customer.id,
          invoice_id: context.invoice.id,
          title: `Could not prepare the ${input.step.channel} reminder for ${context.customer.name}`,
          details: { stepId: input.step.id, reason: rendered.result.problem },
          created_at: deps.now(),
        });
        return { status: 'failed', reason: rendered.result.problem, taskId: task.id };
      }
      const recorded = await insertDraftedMessage(tx, rendered.result.drafted);
      return { deliver: recorded.communicationId };
    }
  }
}

/**
 * Cancels the message an earlier attempt of this step recorded, when its send never began; one whose
 * send began is withdrawn after the commit, asking the provider (it may have reached the debtor).
 */
async function withdrawOwnMessage(
  tx: DbOrTx,
  organizationId: string | undefined,
  idempotencyKey: string,
  reason: string,
  outcome: StepOutcome,
): Promise<Claimed> {
  const own = organizationId ? await findCommunicationByKey(tx, organizationId, idempotencyKey) : undefined;
  if (own?.status !== 'pending' || (await cancelUnsentCommunication(tx, own.id, reason))) return outcome;
  return { withdraw: { id: own.id, reason }, outcome };
}

async function hasOwnPendingMessage(
  db: DbOrTx,
  plan: { organizationId?: string | undefined },
  input: ExecuteReminderStepInput,
): Promise<boolean> {
  if (!plan.organizationId) return false;
  const own = await findCommunicationByKey(db, plan.organizationId, input.idempotencyKey);
  return own?.status === 'pending';
}

/** A phone call or a collections hand-over: a task for finance with its script. */
async function createStepTask(
  tx: DbOrTx,
  deps: ReminderDeps,
  context: ReminderContext,
  input: ExecuteReminderStepInput,
  script: { subject: string; text: string; portalLink: DraftedMessage['portalLink'] },
): Promise<StepOutcome> {
  const { invoice, customer, organization } = context;
  const isCall = input.step.channel === 'call';
  await script.portalLink.insert(tx);
  const task = await insertTaskOnce(tx, {
    organization_id: organization.id,
    kind: isCall ? 'call' : 'collections_handover',
    idempotency_key: input.idempotencyKey,
    customer_id: customer.id,
    invoice_id: invoice.id,
    title: script.subject || (isCall ? `Call ${customer.name}` : `Hand over ${invoice.number}`),
    details: { script: script.text, phone: customer.phone, stepId: input.step.id },
    // The step's own time: "the previous reminder" of a later step is read from it.
    created_at: deps.now(),
  });
  return { status: 'task_created', taskId: task.id };
}
