import { planReminders } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_POLICY, scenarioHelpers, ZONE } from './testing/scenarios';
import { createHarness, type Harness } from './testing/workflow-harness';

// A file (and so a time-skipping server) of its own: following a continued-as-new chain with
// `result()` stalled on the test server when earlier scenarios had run on the same server.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { start, messageSteps } = scenarioHelpers(() => harness);

describe('long sequences', () => {
  it('continues as new during a long sequence, keeping each history small and every step once', async () => {
    const policy = DAILY_POLICY;
    const { invoiceId, handle } = await start({ dueInDays: 0, policy });
    const firstRunId = (await handle.describe()).runId;
    const result = await harness.withWorker(() => handle.result());
    expect(result.outcome).toBe('in_collections');
    const first = await harness.env.client.workflow.getHandle(handle.workflowId, firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    expect(first.historyLength).toBeLessThan(400);
    const invoice = await harness.db
      .selectFrom('invoices')
      .select(['issue_date', 'due_date'])
      .where('id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    const planned = planReminders({
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      timeZone: ZONE,
      country: 'DE',
      policy,
    });
    const sent = await messageSteps(invoiceId);
    expect(sent).toEqual(planned.filter((p) => p.channel === 'email').map((p) => `${p.id}:email`));
    expect(sent.length).toBeGreaterThan(25);
  });
});
