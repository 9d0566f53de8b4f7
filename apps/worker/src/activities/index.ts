import {
  CoveringMessagePendingError,
  deliverRecordedMessage,
  type EmailSender,
  executeReminderStep,
  handOverInvoice,
  loadInvoicePlan,
  loadInvoiceSnapshot,
  prepareNotice,
  ReminderDeferredError,
  type ReminderDeps,
  type SmsSender,
  sendNotice,
  sendTimeFor,
} from '@settle/core';
import type { Db } from '@settle/db';
import type { Logger } from '@settle/logging';
import type {
  MessageActivities,
  ReminderActivities,
  ReminderLocalActivities,
  StepOutcome,
} from '@settle/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import { renderEmailHtml } from '../messages/render-email';
import { renderLetterPdf } from '../messages/render-letter';
import { activityClock } from './activity-clock';

export interface ActivityDeps {
  db: Db;
  email: EmailSender;
  sms: SmsSender;
  logger: Logger;
  portalBaseUrl: string;
  now?: () => Date;
}

/**
 * Another invoice's message lists this one and is on its way: wait for it, as a retry. A step
 * deferred to the customer's next sending day is the run's to wait out when it can (`deferrable`);
 * for an older run it is retried like a pending message until the day comes.
 */
async function retryWhilePending(
  run: () => Promise<StepOutcome>,
  options: { deferrable?: boolean | undefined } = {},
): Promise<StepOutcome> {
  try {
    return await run();
  } catch (error) {
    if (options.deferrable && error instanceof ReminderDeferredError) {
      return { status: 'deferred', reason: error.message, resumeAt: error.resumeAt.getTime() };
    }
    if (error instanceof CoveringMessagePendingError) {
      throw ApplicationFailure.retryable(error.message, 'CoveringMessagePending');
    }
    throw error;
  }
}

/**
 * The reminder workflow's activities over their dependencies (the Temporal samples' factory shape):
 * adapters that call the use cases in `@settle/core`, where every send decision is made.
 */
export function createActivities(
  deps: ActivityDeps,
): ReminderActivities & ReminderLocalActivities & MessageActivities {
  const core: ReminderDeps = { ...deps, now: deps.now ?? activityClock, renderEmailHtml, renderLetterPdf };
  return {
    deliverMessage: ({ communicationId }) => deliverRecordedMessage(core, communicationId),
    loadInvoice: ({ invoiceId }) => loadInvoiceSnapshot(core.db, invoiceId),
    loadInvoicePlan: ({ invoiceId }) => loadInvoicePlan(core.db, invoiceId),
    nextSendTime: async (input) => sendTimeFor(input),
    executeStep: ({ invoiceId, idempotencyKey, step, deferrable }) =>
      retryWhilePending(() => executeReminderStep(core, { invoiceId, idempotencyKey, step }), { deferrable }),
    sendNotice: (input) => sendNotice(core, input),
    prepareNotice: (input) => prepareNotice(core, input),
    markHandedOver: ({ invoiceId }) => handOverInvoice(core, invoiceId),
  };
}
