import { paymentFailedSignal, stateQuery } from '@settle/workflows';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scenarioHelpers } from './testing/scenarios';
import { createHarness, type Harness } from './testing/workflow-harness';

// Reversals racing the end of a sequence (chaos findings). A file and time-skipping server of their
// own: a run that reopens after its thank-you must not hold the clock of the main scenarios.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { start, messageSteps, stopLeftovers, payOffline } = scenarioHelpers(() => harness);
afterEach(() => stopLeftovers());
const DAY = 86_400_000;
const advance = (days: number) => harness.env.sleep(days * DAY);

describe('reversals at the end of a sequence', () => {
  it('goes on when the payment is refunded while the thank-you is being sent', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 10 });
    let reversed = false;
    await harness.withWorker(
      async () => {
        await advance(0.2);
        await payOffline(invoiceId, 125_000);
        await advance(0.1);
        const state = await handle.query(stateQuery);
        expect(reversed).toBe(true);
        expect(state.ended).toBeNull();
        expect(state.status).toBe('active');
      },
      {
        activities: {
          // The refund lands (database, then its signal) just after the thank-you was recorded.
          prepareNotice: async (real, input) => {
            const prepared = await real(input);
            if (input.notice === 'thank-you' && !reversed) {
              reversed = true;
              await harness.db
                .updateTable('invoices')
                .set({ status: 'open', paid_minor: 0, closed_at: null })
                .where('id', '=', invoiceId)
                .execute();
              await handle.signal(paymentFailedSignal, { reason: 'refunded', failureKey: 'evt_refund' });
            }
            return prepared;
          },
        },
      },
    );
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test over');
  });

  it('says a failed payment once when its signal comes twice (a retried activity)', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -33, dueInDays: -3 });
    await harness.withWorker(async () => {
      await advance(0.2); // 10:48, inside the window: the caught-up reminder went out
      await handle.signal(paymentFailedSignal, { reason: 'charged back', failureKey: 'evt_1' });
      await advance(0.05);
      await handle.signal(paymentFailedSignal, { reason: 'charged back', failureKey: 'evt_1' });
      await advance(0.05);
    });
    const notices = (await messageSteps(invoiceId)).filter((step) => step.startsWith('payment-failed'));
    expect(notices).toEqual(['payment-failed:email']);
    await handle.terminate('test over');
  });
});
