import { type Db, pingDatabase } from '@settle/db';

export type DatabaseHealth = { status: 'up' } | { status: 'down'; reason: string };

/**
 * Whether PostgreSQL answers, for a process's `/healthz`. The reason of a failure names what went
 * wrong without a connection string (it may carry the password).
 */
export async function checkDatabase(deps: { db: Db }): Promise<DatabaseHealth> {
  try {
    await pingDatabase(deps.db);
    return { status: 'up' };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /postgres(ql)?:\/\/\S+/g,
      '<database>',
    );
    return { status: 'down', reason };
  }
}
