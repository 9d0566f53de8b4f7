import { databaseEnv, loadConfigOrExit } from '@settle/config';
import { createDb } from './client';
import { migrateToLatest } from './migrate';

const config = loadConfigOrExit(databaseEnv);
const db = createDb({ connectionString: config.DATABASE_URL, maxConnections: 1, applicationName: 'migrate' });
try {
  const { applied } = await migrateToLatest(db);
  console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
