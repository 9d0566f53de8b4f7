import type { PlannedStep, ReminderPolicy, SendWindowInput } from '@settle/domain';
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** The contract between the invoice reminder workflow and everything that talks to it. */

export const TASK_QUEUE = 'reminders';

/** The workflow id is the business key: one reminder workflow per invoice. */
export function invoiceWorkflowId(invoiceId: string): string {
  return `invoice-${invoiceId}`;
}

/** Provider calls and message rows carry this key, so a retried step never sends twice. */
export function stepIdempotencyKey(workflowId: string, stepId: string): string {
  return `${workflowId}/step-${stepId}`;
}

export type HoldReason = 'dispute' | 'payment_pending' | 'promise' | 'finance';
export type EndReason = 'paid' | 'voided' | 'written_off' | 'dispute_upheld' | 'in_collections' | 'not_found';

export interface InvoiceWorkflowInput {
  invoiceId: string;
  /** Present only after continue-as-new. */
  carried?: CarriedState;
}

export interface HistoryEntry {
  /** epoch ms */
  at: number;
  event: string;
  stepId?: string;
  detail?: string;
}

export interface CarriedState {
  holds: HoldReason[];
  promiseUntil: number | null;
  promisedDate?: string | null;
  /** A notice waiting for the customer's send window. */
  pendingNotice?: PendingNotice | null;
  doneStepIds: string[];
  history: HistoryEntry[];
  /** A re-read of the invoice was due when the run continued as new (a change or a failed payment). */
  needsReplan?: boolean;
  /** A failed payment's notice was still to be scheduled. */
  paymentFailedNotice?: boolean;
  /** The failure that notice is for (its payment event), which keys the notice. */
  paymentFailedKey?: string | null;
}

export interface PendingNotice {
  notice: 'promise-missed' | 'payment-failed';
  idempotencyKey: string;
  promiseDate?: string;
  /** epoch ms: the next opening of the customer's send window when the notice arose */
  sendAt: number;
}

export interface InvoiceWorkflowResult {
  outcome: EndReason;
  history: HistoryEntry[];
}

export interface InvoiceWorkflowState {
  status: 'active' | 'on_hold' | 'ended';
  holds: HoldReason[];
  promiseUntil: number | null;
  nextStep: { id: string; channel: PlannedStep['channel']; sendAt: number } | null;
  ended: EndReason | null;
  history: HistoryEntry[];
}

// Signals. Names are part of the persisted contract: never rename one.
export const paymentRecordedSignal =
  defineSignal<[{ amountMinor: number; fullyPaid: boolean }]>('paymentRecorded');
export const paymentPendingSignal = defineSignal<[]>('paymentPending');
/** `failureKey` names the failure (its payment event): a repeated signal with the same key says nothing new. */
export const paymentFailedSignal = defineSignal<[{ reason: string; failureKey?: string }]>('paymentFailed');
export const disputeOpenedSignal = defineSignal<[{ disputeId: string }]>('disputeOpened');
export const disputeResolvedSignal =
  defineSignal<[{ disputeId: string; outcome: 'upheld' | 'rejected' }]>('disputeResolved');
/** `until` is the promised calendar day, `YYYY-MM-DD`; the workflow adds the policy's grace days. */
export const promiseToPaySignal = defineSignal<[{ until: string }]>('promiseToPay');
export const invoiceChangedSignal = defineSignal<[]>('invoiceChanged');
export const invoiceClosedSignal = defineSignal<[{ reason: 'voided' | 'written_off' }]>('invoiceClosed');
export const pausedByFinanceSignal = defineSignal<[{ by: string }]>('pausedByFinance');
export const resumedByFinanceSignal = defineSignal<[{ by: string }]>('resumedByFinance');

export const stateQuery = defineQuery<InvoiceWorkflowState>('state');

/** What a send step needs to know of its invoice, re-read before every step. */
export interface InvoiceSnapshot {
  invoiceId: string;
  organizationId: string;
  customerId: string;
  status: 'open' | 'paid' | 'void' | 'written_off' | 'in_collections';
  balanceMinor: number;
  currency: string;
  issueDate: string;
  dueDate: string;
  timeZone: string;
  country: string;
  policy: ReminderPolicy;
  holds: HoldReason[];
  /** `YYYY-MM-DD` of an active promise to pay, if any. */
  promisedDate: string | null;
}

/** The invoice with its plan, computed by an activity outside the sandbox (no holiday data in workflows). */
export interface InvoicePlan {
  snapshot: InvoiceSnapshot;
  plan: PlannedStep[];
  /** epoch ms: when an active promise to pay lapses (end of the promised day plus grace), else null. */
  promiseUntil: number | null;
}

/** The customer's send window, and the instant from which a late message is to go out. */
export interface SendTimeInput extends SendWindowInput {
  /** epoch ms */
  at: number;
}

export type StepOutcome =
  | { status: 'sent'; communicationId: string }
  | { status: 'task_created'; taskId: string }
  | { status: 'merged'; communicationId: string }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string; taskId: string }
  /**
   * The customer's reminder on this channel went out today without this invoice (one per customer,
   * channel and day): the step waits until `resumeAt` (epoch ms, the next sending day's window).
   */
  | { status: 'deferred'; reason: string; resumeAt: number };

export interface ExecuteStepInput {
  invoiceId: string;
  workflowId: string;
  idempotencyKey: string;
  step: PlannedStep;
  /**
   * The calling run waits out a deferral itself (`deferred` outcome). Without it (runs started before
   * the `defer-in-workflow` patch) a deferral is an error the activity retries until `resumeAt`.
   */
  deferrable?: boolean;
}

/** One-off messages outside the plan: thank-you after payment, promise missed, payment failed. */
export interface NoticeInput {
  invoiceId: string;
  idempotencyKey: string;
  notice: 'thank-you' | 'promise-missed' | 'payment-failed';
  /** The promised day, `YYYY-MM-DD`, for the promise-missed notice. */
  promiseDate?: string;
}

/** Activities the workflow calls; implemented by the worker with `createActivities(deps)`. */
export interface ReminderActivities {
  loadInvoice(input: { invoiceId: string }): Promise<InvoiceSnapshot | null>;
  /** The invoice and its plan (workflow runs from the `plan-in-activity` patch on). */
  loadInvoicePlan(input: { invoiceId: string }): Promise<InvoicePlan | null>;
  executeStep(input: ExecuteStepInput): Promise<StepOutcome>;
  /** Records and delivers a notice now (the workflow has waited for the send window). */
  sendNotice(input: NoticeInput): Promise<StepOutcome>;
  /** Records a notice for a delivery the workflow schedules (the thank-you, after the workflow ends). */
  prepareNotice(
    input: NoticeInput,
  ): Promise<{ communicationId: string } | Exclude<StepOutcome, { status: 'sent' | 'merged' }>>;
  markHandedOver(input: { invoiceId: string }): Promise<void>;
}

/** Pure computations the workflow runs as local activities, so their code and data stay out of the sandbox. */
export interface ReminderLocalActivities {
  /** The earliest instant at or after `at` inside the customer's send window on a sending day. */
  nextSendTime(input: SendTimeInput): Promise<number>;
}
