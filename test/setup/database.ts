import { databaseEnv, loadConfig } from '@settle/config';
import { prepareTestTemplate } from '@settle/db/testing';

/** Vitest global set-up: a freshly migrated template database, copied per test file. */
export default async function setup(): Promise<void> {
  const { DATABASE_URL } = loadConfig(databaseEnv);
  await prepareTestTemplate(DATABASE_URL);
}
