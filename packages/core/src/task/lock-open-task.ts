import type { DbOrTx, Task } from '@settle/db';
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
