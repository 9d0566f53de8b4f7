import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseEnv, loadConfig, paymentsEnv } from '@settle/config';
import { createTestDatabase, prepareTestTemplate } from '@settle/db/testing';
import { addDays, localDateOf } from '@settle/domain';
import { signStripePayload } from '@settle/payments';
import { invoiceWorkflowId } from '@settle/workflows';
import { Client, Connection } from '@temporalio/client';
import { seedDemo, startOpenInvoiceWorkflows } from '../dev/seed-demo';
import { freePort, startStack } from '../dev/stack';

/**
 * `infra/settle.sh bench`: how long from a provider's webhook to a paid invoice whose workflow has
 * completed, on the whole stack as `up` runs it (own database and Temporal file, free ports).
 * The design's target is "within a second"; this reports the numbers rather than asserting them.
 *
 *   BENCH_PAYMENTS=40 infra/settle.sh bench
 */
const count = Number(process.env.BENCH_PAYMENTS ?? 30);
const { DATABASE_URL } = loadConfig(databaseEnv);
const { STRIPE_WEBHOOK_SECRET } = loadConfig(paymentsEnv, {});
const temporalCliPath = process.env.TEMPORAL_CLI_PATH;
if (!temporalCliPath) throw new Error('TEMPORAL_CLI_PATH is not set: run through infra/settle.sh bench');

await prepareTestTemplate(DATABASE_URL);
const database = await createTestDatabase(DATABASE_URL);
const demo = await seedDemo(database.db, localDateOf(Date.now(), 'Europe/Warsaw'));
const temporalDir = mkdtempSync(join(tmpdir(), 'settle-bench-'));
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
const connection = await Connection.connect({ address: stack.urls.temporal });
const temporal = new Client({ connection });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

try {
  await startOpenInvoiceWorkflows(database.db, stack.urls.temporal);
  const customer = await database.db
    .selectFrom('customers')
    .select(['id', 'organization_id'])
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const today = localDateOf(Date.now(), 'Europe/Warsaw');
  const ack: number[] = [];
  const paid: number[] = [];
  for (let i = 0; i < count; i++) {
    const created = await fetch(`${stack.urls.api}/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: customer.id,
        number: `BENCH-${Date.now()}-${i}`,
        currency: 'EUR',
        issueDate: today,
        dueDate: addDays(today, 30),
        lines: [{ description: 'Benchmark', quantityMilli: 1000, unitPriceMinor: 10_000 }],
      }),
    });
    if (created.status !== 201)
      throw new Error(`invoice not created: ${created.status} ${await created.text()}`);
    const invoice = (await created.json()) as { id: string };
    const attempt = await database.db
      .insertInto('payment_attempts')
      .values({
        organization_id: customer.organization_id,
        customer_id: customer.id,
        provider: 'local',
        kind: 'checkout_session',
        provider_reference: `bench_${invoice.id}`,
        invoice_ids: [invoice.id],
        amount_minor: 10_000,
        currency: 'EUR',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const body = JSON.stringify({
      id: `evt_bench_${attempt.id.replaceAll('-', '')}`,
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: `bench_${invoice.id}`,
          payment_status: 'paid',
          payment_intent: `pi_bench_${attempt.id.replaceAll('-', '')}`,
          amount_total: 10_000,
          currency: 'eur',
          metadata: { settle_attempt_id: attempt.id },
        },
      },
    });
    const started = performance.now();
    const response = await fetch(`${stack.urls.api}/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signStripePayload(body, STRIPE_WEBHOOK_SECRET),
      },
      body,
    });
    ack.push(performance.now() - started);
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    await temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).result();
    paid.push(performance.now() - started);
  }
  const report = (name: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `${name.padEnd(34)} p50 ${percentile(sorted, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(
        sorted,
        95,
      )
        .toFixed(0)
        .padStart(5)} ms   max ${(sorted.at(-1) ?? 0).toFixed(0).padStart(5)} ms`,
    );
  };
  console.log(`\npayments: ${count} sequential Stripe checkout.session.completed events, local stack`);
  report('webhook acknowledged', ack);
  report('invoice paid, workflow completed', paid);
} finally {
  await connection.close();
  await stack.stop();
  await database.drop();
  rmSync(temporalDir, { recursive: true, force: true });
}
