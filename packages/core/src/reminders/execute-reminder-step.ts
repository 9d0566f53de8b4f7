import {
  cancelPendingCommunication,
  type DbOrTx,
  findCommunicationByKey,
  insertTaskOnce,
  inTransaction,
} from '@settle/db';
import { localDateOf, type PlannedStep } from '@settle/domain';
import type { StepOutcome } from '@settle/workflows';
import { deliverRecordedMessage } from './deliver-recorded-message';
import type { ReminderDeps } from './message-ports';
import { debtorPortalUrl, recordReminderMessage } from './record-reminder-message';
import { closedOrHeldReason, loadReminderContext, type ReminderContext } from './reminder-context';
import { renderReminderMessage } from './render-reminder-message';
import {
  findCoveringMessage,
  findSameDayCompanions,
  mergedChannels,
  sendTimeSkipReason,
  strongestStep,
} from './same-day-merge';

export interface ExecuteReminderStepInput {
  invoiceId: string;
  /** `invoice-<id>/step-<stepId>`: the message, task and provider call all carry it. */
  idempotencyKey: string;
  step: PlannedStep;
}

type Decision = StepOutcome | { deliver: string };

/**
 * What goes out for one planned step of an invoice's sequence, or why nothing does: the one place
 * this is decided. Inside one transaction, with the customer and invoice locked, it re-reads the
 * invoice (closed or held: skipped), applies the step's send-time conditions (minimum balance, only
 * when overdue, only if unpaid since the previous step), creates the call or hand-over task, or
 * records the message — merged with the customer's other invoices due a reminder today, in the
 * strongest step's words — and then delivers it. Missing templates and addresses become finance
 * tasks and the sequence goes on.
 */
export async function executeReminderStep(
  deps: ReminderDeps,
  input: ExecuteReminderStepInput,
): Promise<StepOutcome> {
  const decided = await inTransaction(deps.db, async (tx): Promise<Decision> => {
    const context = await loadReminderContext(tx, input.invoiceId, { lock: true });
    const skipped = async (reason: string): Promise<StepOutcome> => {
      // A message recorded by an earlier attempt of this step (paid before its delivery) never goes out.
      if (context) await cancelOwnMessage(tx, context, input.idempotencyKey, reason);
      return { status: 'skipped', reason };
    };
    const closed = closedOrHeldReason(context);
    if (closed || !context) return skipped(closed ?? 'invoice not found');

    const policyStep = context.policy.steps.find((s) => s.key === input.step.stepKey);
    if (!policyStep) return skipped('the step is no longer in the policy');
    const now = deps.now();
    const today = localDateOf(now.getTime(), context.customer.time_zone);
    const condition = await sendTimeSkipReason(tx, {
      invoice: context.invoice,
      policyStep,
      today,
      timeZone: context.customer.time_zone,
    });
    if (condition) return skipped(condition);

    const { channel } = input.step;
    if (channel === 'call' || channel === 'collections') return createStepTask(tx, deps, context, input);

    const channels = mergedChannels(channel, context.policy.mergeAcrossChannels);
    const covering = await findCoveringMessage(tx, context, {
      channels,
      now,
      ownIdempotencyKey: input.idempotencyKey,
    });
    if (covering) {
      await cancelOwnMessage(tx, context, input.idempotencyKey, 'merged into another message');
      return { status: 'merged', communicationId: covering.communicationId };
    }
    const companions = await findSameDayCompanions(tx, context, { channels, now });
    const lead = strongestStep(input.step, companions);
    const recorded = await recordReminderMessage(tx, deps, {
      context,
      idempotencyKey: input.idempotencyKey,
      stepKey: input.step.id,
      // The strongest step speaks for all; its channel too, when e-mail and SMS share one slot.
      channel: lead.channel === 'call' || lead.channel === 'collections' ? channel : lead.channel,
      templateKey: lead.templateKey,
      invoices: [context.invoice, ...companions.map((companion) => companion.invoice)],
    });
    if ('problem' in recorded) {
      const task = await insertTaskOnce(tx, {
        organization_id: context.organization.id,
        kind: 'failed_message',
        idempotency_key: `${input.idempotencyKey}/no-contact`,
        customer_id: context.customer.id,
        invoice_id: context.invoice.id,
        title: `Could not prepare the ${channel} reminder for ${context.customer.name}`,
        details: { stepId: input.step.id, reason: recorded.problem },
        created_at: now,
      });
      return { status: 'failed', reason: recorded.problem, taskId: task.id };
    }
    return { deliver: recorded.communicationId };
  });
  return 'deliver' in decided ? deliverRecordedMessage(deps, decided.deliver) : decided;
}

async function cancelOwnMessage(
  tx: DbOrTx,
  context: ReminderContext,
  idempotencyKey: string,
  reason: string,
): Promise<void> {
  const own = await findCommunicationByKey(tx, context.organization.id, idempotencyKey);
  if (own) await cancelPendingCommunication(tx, own.id, reason);
}

/** A phone call or a collections hand-over: a task for finance with its script. */
async function createStepTask(
  tx: DbOrTx,
  deps: ReminderDeps,
  context: ReminderContext,
  input: ExecuteReminderStepInput,
): Promise<StepOutcome> {
  const { invoice, customer, organization } = context;
  const isCall = input.step.channel === 'call';
  const rendered = await renderReminderMessage(tx, {
    organization,
    customer,
    invoices: [invoice],
    policy: context.policy,
    now: deps.now(),
    portalUrl: await debtorPortalUrl(tx, deps, context),
    templateKey: input.step.templateKey,
    channel: input.step.channel,
  });
  // A task without its script is still worth doing: finance sees why the script is missing.
  const { subject, text } = rendered.ok ? rendered : { subject: '', text: rendered.problem };
  const task = await insertTaskOnce(tx, {
    organization_id: organization.id,
    kind: isCall ? 'call' : 'collections_handover',
    idempotency_key: input.idempotencyKey,
    customer_id: customer.id,
    invoice_id: invoice.id,
    title: subject || (isCall ? `Call ${customer.name}` : `Hand over ${invoice.number}`),
    details: { script: text, phone: customer.phone, stepId: input.step.id },
    // The step's own time: "the previous reminder" of a later step is read from it.
    created_at: deps.now(),
  });
  return { status: 'task_created', taskId: task.id };
}
