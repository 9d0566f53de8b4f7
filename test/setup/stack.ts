import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseEnv, loadConfig } from '@settle/config';
import { createTestDatabase } from '@settle/db/testing';
import { localDateOf } from '@settle/domain';
import type { TestProject } from 'vitest/node';
import { DEMO_ADMIN, seedDemo, startOpenInvoiceWorkflows } from '../../infra/dev/seed-demo';
import { freePort, startStack } from '../../infra/dev/stack';

export interface E2eStack {
  portalUrl: string;
  apiUrl: string;
  temporalAddress: string;
  databaseUrl: string;
  apiKey: string;
  admin: { email: string; password: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: E2eStack;
  }
}

/**
 * Vitest global set-up for the e2e suite: the whole stack as the main command runs it, on free ports,
 * over its own database (seeded with the demo data) and its own Temporal data file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const temporalCliPath = process.env.TEMPORAL_CLI_PATH;
  if (!temporalCliPath)
    throw new Error('TEMPORAL_CLI_PATH is not set: run the tests through infra/settle.sh test');
  const { DATABASE_URL } = loadConfig(databaseEnv);
  const database = await createTestDatabase(DATABASE_URL);
  const demo = await seedDemo(database.db, localDateOf(Date.now(), 'Europe/Warsaw'));
  const temporalDir = mkdtempSync(join(tmpdir(), 'settle-e2e-temporal-'));
  const stack = await startStack({
    databaseUrl: database.url,
    temporalCliPath,
    ports: {
      temporal: await freePort(),
      temporalUi: await freePort(),
      api: await freePort(),
      portal: await freePort(),
    },
    temporalDbFile: join(temporalDir, 'temporal.sqlite'),
    echo: false,
  });
  await startOpenInvoiceWorkflows(database.db, stack.urls.temporal);
  project.provide('stack', {
    portalUrl: stack.urls.portal,
    apiUrl: stack.urls.api,
    temporalAddress: stack.urls.temporal,
    databaseUrl: database.url,
    apiKey: demo.apiKey,
    admin: DEMO_ADMIN,
  });
  return async () => {
    await stack.stop();
    await database.drop();
    rmSync(temporalDir, { recursive: true, force: true });
  };
}
