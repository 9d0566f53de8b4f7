import { type AuditEntry, appendAuditLog, type Db, inTransaction, type Task } from '@settle/db';
import { AppError } from '../errors';
import { lockOpenTask } from './lock-open-task';

/**
 * Marks a task done with what was done: a letter posted, a case handed over to collections, a failed
 * message fixed. Call outcomes go through `recordCallOutcome`, which also acts on the invoice.
 */
export async function completeTask(
  db: Db,
  input: {
    organizationId: string;
    taskId: string;
    outcome: string;
    actor: AuditEntry['actor'];
    now?: Date;
  },
): Promise<Task> {
  const outcome = input.outcome.trim();
  if (outcome === '') {
    throw new AppError('VALIDATION', 'outcome is required', {
      details: [{ field: 'outcome', message: 'say what was done' }],
    });
  }
  const now = input.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const task = await lockOpenTask(tx, input.organizationId, input.taskId);
    if (task.kind === 'call') {
      throw new AppError('VALIDATION', 'a call task is completed by recording the call outcome', {
        details: [{ field: 'outcome', message: 'record the call outcome instead' }],
      });
    }
    const done = await tx
      .updateTable('tasks')
      .set({
        status: 'done',
        outcome,
        completed_at: now,
        assigned_to: input.actor.type === 'user' ? (input.actor.id ?? null) : null,
      })
      .where('id', '=', task.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: `task.${task.kind}.done`,
      subject: { type: 'task', id: task.id },
      data: { outcome, invoiceId: task.invoice_id },
    });
    return done;
  });
}
