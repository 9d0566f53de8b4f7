import { type AuditEntry, appendAuditLog, type DisputeReason, inTransaction, type Task } from '@settle/db';
import { openInvoiceDispute } from '../dispute/open-invoice-dispute';
import { AppError } from '../errors';
import type { InvoiceEventDeps } from '../invoice/invoice-event-deps';
import { promiseInvoicePayment } from '../promise/promise-invoice-payment';
import { lockOpenTask } from './lock-open-task';

export type CallOutcome =
  | { kind: 'promise'; date: string; note?: string }
  | { kind: 'dispute'; reason: DisputeReason; message: string }
  | { kind: 'no_answer'; note?: string };

/**
 * Records how a collection call went and closes its task. A promise to pay is recorded as one (the
 * workflow holds reminders until the date); a dispute is opened (reminders hold until finance
 * resolves it); no answer is a note, and the sequence carries on.
 */
export async function recordCallOutcome(
  deps: InvoiceEventDeps,
  input: { organizationId: string; taskId: string; outcome: CallOutcome; actor: AuditEntry['actor'] },
): Promise<Task> {
  const task = await deps.db
    .selectFrom('tasks')
    .selectAll()
    .where('organization_id', '=', input.organizationId)
    .where('id', '=', input.taskId)
    .executeTakeFirst();
  if (!task)
    throw new AppError('NOT_FOUND', `task ${input.taskId} not found`, { userMessage: 'Task not found.' });
  if (task.kind !== 'call' || !task.invoice_id) {
    throw new AppError('VALIDATION', `task ${task.id} is not a call about an invoice`, {
      details: [{ field: 'taskId', message: 'not a call task' }],
    });
  }
  if (task.status !== 'open') {
    throw new AppError('CONFLICT', `task ${task.id} is ${task.status}`, {
      userMessage: 'This call is already recorded.',
    });
  }
  const { outcome } = input;
  let summary: string;
  switch (outcome.kind) {
    case 'promise': {
      await promiseInvoicePayment(deps, {
        organizationId: input.organizationId,
        invoiceId: task.invoice_id,
        date: outcome.date,
        ...(outcome.note ? { note: outcome.note } : {}),
        actor: input.actor,
      });
      summary = `promise to pay by ${outcome.date}${outcome.note ? `: ${outcome.note}` : ''}`;
      break;
    }
    case 'dispute': {
      if (outcome.message.trim() === '') {
        throw new AppError('VALIDATION', 'dispute message is required', {
          details: [{ field: 'message', message: 'note what the customer disputes' }],
        });
      }
      await openInvoiceDispute(deps, {
        organizationId: input.organizationId,
        invoiceId: task.invoice_id,
        reason: outcome.reason,
        message: outcome.message,
        actor: input.actor,
      });
      summary = `dispute (${outcome.reason}): ${outcome.message}`;
      break;
    }
    case 'no_answer':
      summary = `no answer${outcome.note ? `: ${outcome.note}` : ''}`;
      break;
    default: {
      const unknown: never = outcome;
      throw new AppError('VALIDATION', `unknown call outcome ${JSON.stringify(unknown)}`);
    }
  }
  const now = deps.now?.() ?? new Date();
  return inTransaction(deps.db, async (tx) => {
    await lockOpenTask(tx, input.organizationId, task.id);
    const done = await tx
      .updateTable('tasks')
      .set({
        status: 'done',
        outcome: summary,
        completed_at: now,
        assigned_to: input.actor.type === 'user' ? (input.actor.id ?? null) : null,
      })
      .where('id', '=', task.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: `call.${outcome.kind}`,
      subject: { type: 'invoice', id: task.invoice_id ?? task.id },
      data: { taskId: task.id, outcome: summary },
    });
    return done;
  });
}
