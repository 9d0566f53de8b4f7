import { paymentFailedSignal } from '@settle/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_POLICY, scenarioHelpers } from './testing/scenarios';
import { createHarness, type Harness } from './testing/workflow-harness';

// Continue-as-new must carry every piece of state (issue 11, item 8). A file of its own, like the
// other continue-as-new test: following a continued chain stalls on a test server that ran others.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { start } = scenarioHelpers(() => harness);

describe('state carried across continue-as-new', () => {
  it('keeps a failed payment signalled during the last step of a run across continue-as-new', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 0, policy: DAILY_POLICY });
    let steps = 0;
    const result = await harness.withWorker(() => handle.result(), {
      activities: {
        // The 25th step is the run's last: the failed payment arrives while it is being sent.
        executeStep: async (real, input) => {
          if (++steps === 25) await handle.signal(paymentFailedSignal, { reason: 'insufficient funds' });
          return real(input);
        },
      },
    });
    expect(result.outcome).toBe('in_collections');
    const notices = await harness.db
      .selectFrom('communications as c')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select('c.status')
      .where('ci.invoice_id', '=', invoiceId)
      .where('c.step_key', '=', 'payment-failed')
      .execute();
    expect(notices).toEqual([{ status: 'sent' }]);
  });
});
