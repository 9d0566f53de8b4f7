import type { PlannedStep } from '@settle/domain/workflow';
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type CarriedState,
  disputeOpenedSignal,
  disputeResolvedSignal,
  type EndReason,
  type HistoryEntry,
  type HoldReason,
  type InvoiceSnapshot,
  type InvoiceWorkflowInput,
  type InvoiceWorkflowResult,
  invoiceChangedSignal,
  invoiceClosedSignal,
  type PendingNotice,
  pausedByFinanceSignal,
  paymentFailedSignal,
  paymentPendingSignal,
  paymentRecordedSignal,
  promiseToPaySignal,
  type ReminderActivities,
  type ReminderLocalActivities,
  resumedByFinanceSignal,
  stateQuery,
  stepIdempotencyKey,
} from './contract';
import { deliverMessageWorkflow } from './deliver-message';
import { type MessageActivities, messageWorkflowId } from './message-delivery';

const { loadInvoice, loadInvoicePlan, executeStep, sendNotice, prepareNotice, markHandedOver } =
  proxyActivities<ReminderActivities>({
    startToCloseTimeout: '1 minute',
    // Transient provider and database errors retry with backoff. Bad data (a missing template or
    // address) is not an error: the activity turns it into a finance task and the sequence goes on.
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
  });
const local = proxyLocalActivities<ReminderLocalActivities>({ startToCloseTimeout: '10 seconds' });
const { deliverMessage } = proxyActivities<MessageActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Planning, send windows and holiday calendars, for runs that started before the `plan-in-activity`
 * patch only. Loaded on first use, not imported: the sandbox evaluates a workflow's modules once per
 * workflow, and the holiday data alone cost about 2 MB of heap for every cached workflow.
 */
let legacyDomain: typeof import('@settle/domain/workflow') | undefined;
function domain(): typeof import('@settle/domain/workflow') {
  // A lazy require keeps the holiday data out of the heap of runs that never plan in the sandbox.
  legacyDomain ??= require('@settle/domain/workflow') as typeof import('@settle/domain/workflow');
  return legacyDomain;
}

const HISTORY_LIMIT = 200;
/** Continue-as-new after this many steps even if Temporal does not suggest it, to keep histories small. */
const STEPS_PER_RUN = 25;
/** A hold or an idle wait re-reads the database this often, so a lost signal only delays. */
const RECHECK_MS = 24 * 60 * 60 * 1000;
/** Continue-as-new once a run's history has this many events (daily re-checks add up over a long hold). */
const EVENTS_PER_RUN = 2_000;

/**
 * One invoice's reminder sequence. Waits for the next planned step or a signal; every send re-reads
 * the invoice in its activity, so nothing goes out for a paid, void, disputed or paused invoice.
 */
export async function invoiceReminderWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceWorkflowResult> {
  const { workflowId } = workflowInfo();
  // Versioned changes (docs/decisions/0007-versioning-running-workflows.md), decided once per run.
  /** Holds are re-derived from the database (replaced, not added to), and waits re-check it daily. */
  const holdsFromDatabase = patched('holds-from-database');
  /** Continue-as-new carries every piece of state, and never happens once the sequence has ended. */
  const carryAllState = patched('carry-all-state');
  /**
   * The plan, promise deadlines and send times come from activities: no holiday calendar is built
   * inside the sandbox (each cost megabytes per cached workflow), and a running history does not
   * depend on the holiday data of a later release.
   */
  const planInActivity = patched('plan-in-activity');
  /**
   * A failure's notice is keyed on its payment event (one notice however often the signal comes), and
   * a reversal that arrives while the thank-you is being sent reopens the sequence instead of ending it.
   */
  const reversalSafe = patched('reversal-safe-endings');
  /**
   * A step deferred to the customer's next sending day (the day's reminder went out without this
   * invoice) waits on a timer here, which a payment or a change interrupts, instead of in the
   * activity's retries (up to ten minutes between attempts, for a day).
   */
  const deferInWorkflow = patched('defer-in-workflow');
  const carried: CarriedState = input.carried ?? {
    holds: [],
    promiseUntil: null,
    doneStepIds: [],
    history: [],
  };
  const holds = new Set<HoldReason>(carried.holds);
  const done = new Set<string>(carried.doneStepIds);
  const history: HistoryEntry[] = carried.history;
  let promiseUntil = carried.promiseUntil;
  let promisedDate = carried.promisedDate ?? null;
  let pendingNotice: PendingNotice | null = carried.pendingNotice ?? null;
  let ended: EndReason | null = null;
  let needsReplan = carryAllState ? (carried.needsReplan ?? false) : false;
  let paymentFailedNotice = carryAllState ? (carried.paymentFailedNotice ?? false) : false;
  let paymentFailedKey: string | null = reversalSafe ? (carried.paymentFailedKey ?? null) : null;
  // Bumped by every signal; a wait ends when it changes so the loop re-evaluates.
  let version = 0;
  let plan: PlannedStep[] = [];
  /** The thank-you is said once per run, even if a reversal reopens the sequence after it. */
  let thanked = false;
  let stepsThisRun = 0;

  const record = (event: string, extra: Omit<HistoryEntry, 'at' | 'event'> = {}) => {
    history.push({ at: Date.now(), event, ...extra });
    if (history.length > HISTORY_LIMIT) history.splice(0, history.length - HISTORY_LIMIT);
  };
  const changed = (event: string, detail?: string) => {
    version++;
    record(event, detail ? { detail } : {});
  };

  setHandler(paymentRecordedSignal, ({ amountMinor, fullyPaid }) => {
    holds.delete('payment_pending');
    if (fullyPaid) ended = 'paid';
    changed(fullyPaid ? 'payment.full' : 'payment.partial', `${amountMinor}`);
  });
  setHandler(paymentPendingSignal, () => {
    holds.add('payment_pending');
    changed('payment.pending');
  });
  setHandler(paymentFailedSignal, ({ reason, failureKey }) => {
    if (reversalSafe && failureKey) paymentFailedKey = failureKey;
    holds.delete('payment_pending');
    if (ended === 'paid') ended = null;
    paymentFailedNotice = true;
    needsReplan = true;
    changed('payment.failed', reason);
  });
  setHandler(disputeOpenedSignal, ({ disputeId }) => {
    holds.add('dispute');
    changed('dispute.opened', disputeId);
  });
  setHandler(disputeResolvedSignal, ({ disputeId, outcome }) => {
    holds.delete('dispute');
    if (outcome === 'upheld') ended = 'dispute_upheld';
    changed(`dispute.${outcome}`, disputeId);
  });
  setHandler(promiseToPaySignal, ({ until }) => {
    holds.add('promise');
    promisedDate = until;
    if (planInActivity) {
      // The deadline is computed with the plan: re-read the invoice, whose promise is committed.
      promiseUntil = null;
      needsReplan = true;
    } else {
      promiseUntil = promiseDeadline(until);
    }
    changed('promise.made', until);
  });
  setHandler(invoiceChangedSignal, () => {
    needsReplan = true;
    changed('invoice.changed');
  });
  setHandler(invoiceClosedSignal, ({ reason }) => {
    ended = reason;
    changed(`invoice.${reason}`);
  });
  setHandler(pausedByFinanceSignal, ({ by }) => {
    holds.add('finance');
    changed('paused', by);
  });
  setHandler(resumedByFinanceSignal, ({ by }) => {
    holds.delete('finance');
    changed('resumed', by);
  });

  let snapshot: InvoiceSnapshot | null = null;
  // Deadline of a promise: the end of the promised day plus grace, in the customer's time zone.
  function promiseDeadline(until: string): number {
    const grace = snapshot?.policy.promiseGraceDays ?? 0;
    const { addDays, localDateTimeToInstant } = domain();
    return localDateTimeToInstant(addDays(until, grace + 1), '00:00', snapshot?.timeZone ?? 'UTC');
  }
  const nextStep = () => plan.find((step) => !done.has(step.id)) ?? null;
  /** The earliest instant at or after `at` inside the customer's send window on a sending day. */
  const sendTimeFrom = (at: number): number =>
    snapshot
      ? domain().nextSendTime(at, {
          timeZone: snapshot.timeZone,
          country: snapshot.country,
          sendWindow: snapshot.policy.sendWindow,
          businessDaysOnly: snapshot.policy.businessDaysOnly,
          jitterKey: input.invoiceId,
        })
      : at;
  /** `sendTimeFrom`, computed by a local activity from the `plan-in-activity` patch on. */
  const sendTimeAt = async (at: number): Promise<number> =>
    planInActivity && snapshot
      ? local.nextSendTime({
          at,
          timeZone: snapshot.timeZone,
          country: snapshot.country,
          sendWindow: snapshot.policy.sendWindow,
          businessDaysOnly: snapshot.policy.businessDaysOnly,
          jitterKey: input.invoiceId,
        })
      : sendTimeFrom(at);
  const noticeNow = async (
    notice: PendingNotice['notice'],
    extra: { promiseDate?: string } = {},
    key: string | null = null,
  ): Promise<PendingNotice> => ({
    notice,
    idempotencyKey: stepIdempotencyKey(workflowId, `${notice}@${key ?? Date.now()}`),
    sendAt: await sendTimeAt(Date.now()),
    ...extra,
  });

  setHandler(stateQuery, () => {
    const next = ended || holds.size > 0 ? null : nextStep();
    return {
      status: ended ? 'ended' : holds.size > 0 ? 'on_hold' : 'active',
      holds: [...holds],
      promiseUntil,
      nextStep: next ? { id: next.id, channel: next.channel, sendAt: next.sendAt } : null,
      ended,
      history,
    };
  });

  const refresh = async (): Promise<boolean> => {
    const loaded = planInActivity ? await loadInvoicePlan({ invoiceId: input.invoiceId }) : null;
    snapshot = planInActivity
      ? (loaded?.snapshot ?? null)
      : await loadInvoice({ invoiceId: input.invoiceId });
    if (!snapshot) {
      ended = 'not_found';
      return false;
    }
    switch (snapshot.status) {
      case 'paid':
        ended ??= 'paid';
        return false;
      case 'void':
        ended ??= 'voided';
        return false;
      case 'written_off':
        ended ??= 'written_off';
        return false;
      case 'in_collections':
        ended ??= 'in_collections';
        return false;
      case 'open':
        break;
    }
    if (holdsFromDatabase) {
      await deriveHoldsFrom(snapshot, loaded?.promiseUntil ?? null);
    } else {
      // The database is the record: holds that exist there (set while no workflow ran) apply here too.
      for (const hold of snapshot.holds) holds.add(hold);
      if (snapshot.promisedDate && promiseUntil === null) {
        promisedDate = snapshot.promisedDate;
        promiseUntil = promiseDeadline(snapshot.promisedDate);
      }
    }
    plan = loaded
      ? loaded.plan
      : domain().planReminders({
          issueDate: snapshot.issueDate,
          dueDate: snapshot.dueDate,
          timeZone: snapshot.timeZone,
          country: snapshot.country,
          policy: snapshot.policy,
          jitterKey: input.invoiceId,
        });
    return true;
  };

  if (!input.carried) record('started');
  if (await refresh()) skipMissedSteps();

  for (;;) {
    while (!ended) {
      if (needsReplan) {
        needsReplan = false;
        if (!(await refresh())) break;
        skipMissedSteps();
        if (paymentFailedNotice) {
          paymentFailedNotice = false;
          // Said inside the customer's send window, like every message.
          pendingNotice = await noticeNow('payment-failed', {}, paymentFailedKey);
          paymentFailedKey = null;
        }
        continue;
      }

      if (holds.size > 0) {
        const seen = version;
        if (pendingNotice) {
          // A notice that waited for the window is overtaken by the hold (a dispute, a new promise).
          record(`notice.${pendingNotice.notice}`, { detail: 'skipped: on hold' });
          pendingNotice = null;
        }
        if (holds.has('promise') && promiseUntil !== null) {
          const untilDeadline = Math.max(0, promiseUntil - Date.now());
          if (holdsFromDatabase && untilDeadline > RECHECK_MS) {
            if (!(await condition(() => version !== seen, RECHECK_MS))) await recheck();
            continue;
          }
          const signalled = await condition(() => version !== seen, untilDeadline);
          if (!signalled && !ended) {
            holds.delete('promise');
            promiseUntil = null;
            pendingNotice = await noticeNow(
              'promise-missed',
              promisedDate ? { promiseDate: promisedDate } : {},
            );
            promisedDate = null;
            record('promise.missed');
            skipMissedSteps();
          }
        } else if (holdsFromDatabase) {
          // A lost "resolved" or "resumed" signal must not hold the invoice for good: re-read daily.
          if (!(await condition(() => version !== seen, RECHECK_MS))) await recheck();
          else if (holds.size === 0) skipMissedSteps();
        } else {
          await condition(() => version !== seen);
          if (holds.size === 0) skipMissedSteps();
        }
        continue;
      }

      if (pendingNotice) {
        const notice = pendingNotice;
        const seen = version;
        if (await condition(() => version !== seen, Math.max(0, notice.sendAt - Date.now()))) continue;
        const outcome = await sendNotice({
          invoiceId: input.invoiceId,
          idempotencyKey: notice.idempotencyKey,
          notice: notice.notice,
          ...(notice.promiseDate ? { promiseDate: notice.promiseDate } : {}),
        });
        pendingNotice = null;
        record(`notice.${notice.notice}`, { detail: outcome.status });
        continue;
      }

      const step = nextStep();
      const seen = version;
      if (!step) {
        // Plan exhausted without a hand-over: wait for a payment, a change or a closing signal, and
        // re-read the invoice daily in case that signal was lost.
        if (holdsFromDatabase) {
          if (!(await condition(() => version !== seen, RECHECK_MS))) await recheck();
        } else {
          await condition(() => version !== seen);
        }
        continue;
      }
      // A step caught up late (after a hold, a restart or an import) waits for the next send window.
      const sendAt = step.sendAt > Date.now() ? step.sendAt : await sendTimeAt(Date.now());
      if (await condition(() => version !== seen, Math.max(0, sendAt - Date.now()))) continue;

      const outcome = await executeStep({
        invoiceId: input.invoiceId,
        workflowId,
        idempotencyKey: stepIdempotencyKey(workflowId, step.id),
        step,
        ...(deferInWorkflow ? { deferrable: true } : {}),
      });
      if (outcome.status === 'deferred') {
        // Not done: the step runs again once the customer's next sending day has come.
        record('step.deferred', { stepId: step.id, detail: outcome.reason });
        const waiting = version;
        await condition(() => version !== waiting, Math.max(0, outcome.resumeAt - Date.now()));
        continue;
      }
      done.add(step.id);
      stepsThisRun++;
      record(`step.${outcome.status}`, {
        stepId: step.id,
        ...('reason' in outcome ? { detail: outcome.reason } : {}),
      });

      if (outcome.status === 'skipped' && outcome.reason.startsWith('invoice ')) {
        // The activity found the invoice closed or held in the database: trust the record.
        needsReplan = true;
        continue;
      }
      if (step.channel === 'collections' && outcome.status === 'task_created') {
        await markHandedOver({ invoiceId: input.invoiceId });
        ended = 'in_collections';
        break;
      }
      if (carryAllState) {
        await continueAsNewIfDue();
      } else if (stepsThisRun >= STEPS_PER_RUN || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof invoiceReminderWorkflow>({
          invoiceId: input.invoiceId,
          carried: {
            holds: [...holds],
            promiseUntil,
            promisedDate,
            pendingNotice,
            doneStepIds: [...done],
            history,
          },
        });
      }
    }

    // A "fully paid" signal can be overtaken by a charge-back or a failed direct debit that reopened the
    // invoice while this run was finishing: the database decides, and an open invoice goes on.
    if ((ended as EndReason | null) === 'paid') {
      const current = await loadInvoice({ invoiceId: input.invoiceId });
      if (current?.status === 'open') {
        ended = null;
        needsReplan = true;
        record('payment.reopened', { detail: 'the invoice is open again' });
        continue;
      }
      if (reversalSafe && !thanked) {
        thanked = true;
        record('notice.thank-you', { detail: await thankCustomer() });
        // A refund or charge-back signalled while the thank-you went out clears `ended`; one written
        // without a signal shows in the database. Either way the invoice is open and the sequence goes on.
        const after =
          (ended as EndReason | null) === 'paid' ? await loadInvoice({ invoiceId: input.invoiceId }) : null;
        if ((ended as EndReason | null) === null || after?.status === 'open') {
          ended = null;
          needsReplan = true;
          record('payment.reopened', { detail: 'reversed while the thank-you was sent' });
          continue;
        }
      }
    }
    break;
  }

  // Signal handlers assign `ended` too, which TypeScript's narrowing of the loop cannot see.
  const outcome = ended as EndReason | null;
  if (outcome === 'paid' && !reversalSafe) record('notice.thank-you', { detail: await thankCustomer() });
  if (!outcome) throw ApplicationFailure.nonRetryable('workflow left its loop without an outcome');
  record('ended', { detail: outcome });
  return { outcome, history };

  /**
   * The policy's thank-you, recorded now and delivered inside the customer's send window: here when
   * the window is open, else by a delivery workflow that outlives this one (an abandoned child), so
   * the invoice's workflow ends as paid without waiting for the morning.
   */
  async function thankCustomer(): Promise<string> {
    const prepared = await prepareNotice({
      invoiceId: input.invoiceId,
      idempotencyKey: stepIdempotencyKey(workflowId, 'thank-you'),
      notice: 'thank-you',
    });
    if (!('communicationId' in prepared)) return prepared.status;
    const notBefore = await sendTimeAt(Date.now());
    if (notBefore <= Date.now()) {
      return (await deliverMessage({ communicationId: prepared.communicationId })).status;
    }
    await startChild(deliverMessageWorkflow, {
      workflowId: messageWorkflowId(prepared.communicationId),
      args: [{ communicationId: prepared.communicationId, notBefore }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return 'scheduled';
  }

  /**
   * The holds the database records replace the workflow's own (a hold lifted while its signal was
   * lost is lifted here too). A promise whose day and grace have passed is missed, not a hold.
   */
  async function deriveHoldsFrom(
    current: InvoiceSnapshot,
    plannedPromiseUntil: number | null,
  ): Promise<void> {
    holds.clear();
    for (const hold of current.holds) if (hold !== 'promise') holds.add(hold);
    const promised = current.holds.includes('promise') ? current.promisedDate : null;
    if (!promised) {
      promiseUntil = null;
      promisedDate = null;
      return;
    }
    const deadline = planInActivity ? (plannedPromiseUntil ?? 0) : promiseDeadline(promised);
    if (deadline > Date.now()) {
      holds.add('promise');
      promisedDate = promised;
      promiseUntil = deadline;
    } else if (pendingNotice?.notice !== 'promise-missed') {
      promiseUntil = null;
      promisedDate = null;
      pendingNotice = await noticeNow('promise-missed', { promiseDate: promised });
      record('promise.missed');
    }
  }

  /** A bounded wait ran out with no signal: re-read the invoice, as after a change. */
  async function recheck(): Promise<void> {
    needsReplan = true;
    await continueAsNewIfDue();
  }

  /** Continues as new, carrying all state, when this run has done enough steps or grown too long. */
  async function continueAsNewIfDue(): Promise<void> {
    if (ended) return;
    const info = workflowInfo();
    if (stepsThisRun < STEPS_PER_RUN && !info.continueAsNewSuggested && info.historyLength < EVENTS_PER_RUN) {
      return;
    }
    await continueAsNew<typeof invoiceReminderWorkflow>({
      invoiceId: input.invoiceId,
      carried: {
        holds: [...holds],
        promiseUntil,
        promisedDate,
        pendingNotice,
        doneStepIds: [...done],
        history,
        needsReplan,
        paymentFailedNotice,
        ...(reversalSafe ? { paymentFailedKey } : {}),
      },
    });
  }

  /**
   * Steps whose time passed while on hold (or before the workflow started, for an invoice imported
   * late) are not all sent at once: only the most escalated one goes out now, the others are skipped.
   */
  function skipMissedSteps(): void {
    const now = Date.now();
    const missed = plan.filter((step) => !done.has(step.id) && step.sendAt <= now);
    const latest = missed.at(-1)?.localDate;
    // Steps of the latest missed day all go out (e.g. the due-day e-mail and SMS), earlier ones not.
    for (const step of missed.filter((s) => s.localDate !== latest)) {
      done.add(step.id);
      record('step.skipped', { stepId: step.id, detail: 'superseded by a later step' });
    }
  }
}
