import { join } from 'node:path';
import { apiEnv, databaseEnv, loadConfigOrExit, portalEnv } from '@settle/config';
import { createDb, migrateToLatest } from '@settle/db';
import { localDateOf } from '@settle/domain';
import { createDemoPortalLinks, seedDemo, startOpenInvoiceWorkflows } from './seed-demo';
import { ROOT, startStack } from './stack';

/**
 * `infra/settle.sh up`: migrate, seed the demo, run every process until Ctrl-C. A process that dies
 * is restarted with backoff; one that keeps dying stops everything with a message naming it.
 */
const config = loadConfigOrExit({ ...databaseEnv, ...apiEnv, ...portalEnv });
const temporalCliPath = process.env.TEMPORAL_CLI_PATH;
if (!temporalCliPath) {
  console.error('TEMPORAL_CLI_PATH: not set (run through infra/settle.sh up, which builds the Temporal CLI)');
  process.exit(78);
}
const say = (message: string) => console.log(`\x1b[1;34m[settle]\x1b[0m ${message}`);

const db = createDb({ connectionString: config.DATABASE_URL, maxConnections: 2, applicationName: 'up' });
const { applied } = await migrateToLatest(db);
say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema up to date');
const demo = await seedDemo(db, localDateOf(Date.now(), 'Europe/Warsaw'));
say(demo.created ? 'demo organization created' : 'demo organization found: reusing its data');

const stack = await startStack({
  databaseUrl: config.DATABASE_URL,
  temporalCliPath,
  ports: { temporal: 7233, temporalUi: 8233, api: config.API_PORT, portal: config.PORTAL_PORT },
  temporalDbFile: join(ROOT, '.data/temporal/dev.sqlite'),
  echo: true,
  extraEnv: { MIGRATE_ON_START: 'false' },
  supervise: {
    say,
    onGiveUp(message) {
      console.error(`\x1b[1;31m[settle]\x1b[0m ${message}`);
      console.error('\x1b[1;31m[settle]\x1b[0m stopping everything: fix the cause and run `up` again');
      void stop(1);
    },
  },
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping every process');
  await stack.stop();
  await db.destroy().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const started = await startOpenInvoiceWorkflows(db, stack.urls.temporal);
  say(`reminder workflows: ${started} started for open invoices (others already running)`);
  const portalLinks = await createDemoPortalLinks(db, demo.organizationId, stack.urls.portal);
  console.log('\nDebtor portal links (one per demo customer, valid 30 days):');
  for (const link of portalLinks)
    console.log(`  ${link.code.padEnd(8)} ${link.locale}  ${link.url}  ${link.name}`);

  console.log(`
\x1b[1;32mSettle is ready.\x1b[0m
  Portal        ${stack.urls.portal}
  Finance       ${stack.urls.portal}/finance   (${demo.admin.email} / ${demo.admin.password})
  API           ${stack.urls.api}              (health: ${stack.urls.api}/healthz)
  Temporal UI   ${stack.urls.temporalUi}/namespaces/default/workflows
  Demo API key  ${demo.apiKey}

A process that dies is restarted (after 1 s, doubling up to 30 s); after 7 quick deaths in a row
everything stops. Press Ctrl-C to stop every process.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
