import { type AuditEntry, appendAuditLog, type Db, type DbOrTx, inTransaction, type Task } from '@settle/db';
import { AppError } from '../errors';

/** Locks an open task of the organization, or explains why it cannot be completed. */
export async function lockOpenTask(tx: DbOrTx, organizationId: string, taskId: string): Promise<Task> {
  const task = await tx
    .selectFrom('tasks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', taskId)
    .forUpdate()
    .executeTakeFirst();
  if (!task) throw new AppError('NOT_FOUND', `task ${taskId} not found`, { userMessage: 'Task not found.' });
  if (task.status !== 'open') {
    throw new AppError('CONFLICT', `task ${taskId} is ${task.status}`, {
      userMessage: 'This task is already done.',
    });
  }
  return task;
}

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
