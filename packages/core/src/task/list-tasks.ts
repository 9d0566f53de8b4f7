import { type Db, listConsoleTasks } from '@settle/db';

/** The console's task list of an organization: open ones, or the latest done ones. */
export function listTasks(
  deps: { db: Db },
  input: { organizationId: string; status: 'open' | 'done'; limit?: number },
): ReturnType<typeof listConsoleTasks> {
  return listConsoleTasks(deps.db, input.organizationId, input.status, input.limit);
}
