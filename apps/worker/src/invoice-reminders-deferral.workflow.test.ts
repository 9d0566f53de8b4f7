import { insertCommunicationOnce, insertInvoice } from '@settle/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DAY, scenarioHelpers } from './testing/scenarios';
import { recordHistory } from './testing/workflow-fingerprint';
import { createHarness, type Harness } from './testing/workflow-harness';

// A step whose customer already had the day's reminder on its channel (sent without this invoice,
// which arrived afterwards) waits for the customer's next sending day. The wait is the workflow's:
// a payment meanwhile ends the sequence at once, and the reminder goes out the next day otherwise.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { serverToday, start, messageSteps, stopLeftovers, payOffline } = scenarioHelpers(() => harness);
afterEach(() => stopLeftovers());

/**
 * An invoice whose issue-day e-mail falls today, and the customer's e-mail of today already sent for
 * another of its invoices: the day's slot is taken before this invoice's step runs.
 */
async function startWithTodaysSlotTaken() {
  const started = await start({ dueInDays: 30 });
  const today = await serverToday();
  const other = await insertInvoice(harness.db, {
    organization_id: started.organization.id,
    customer_id: started.customer.id,
    number: 'INV-EARLIER',
    currency: 'EUR',
    total_minor: 10_000,
    issue_date: today,
    due_date: today,
    lines: [],
  });
  await insertCommunicationOnce(
    harness.db,
    {
      organization_id: started.organization.id,
      customer_id: started.customer.id,
      idempotency_key: `invoice-${other.id}/step-due-day-email#0`,
      step_key: 'due-day-email#0',
      channel: 'email',
      locale: 'de',
      recipient: started.customer.email ?? 'ap@example.com',
      subject: 'Erinnerung',
      body_text: 'INV-EARLIER',
      body_html: null,
      provider: 'outbox',
      provider_message_id: null,
      status: 'sent',
      error: null,
      // At the test server's time, which is not the database's clock.
      created_at: new Date(await harness.env.currentTimeMs()),
      sent_at: new Date(await harness.env.currentTimeMs()),
      sending_started_at: null,
      day_slot: 'email',
      slot_date: today,
    },
    [other.id],
  );
  return started;
}

describe("a step deferred to the customer's next sending day", () => {
  it('ends at once when the invoice is paid during the wait, and thanks the customer', async () => {
    const { invoiceId, handle } = await startWithTodaysSlotTaken();
    const result = await harness.withWorker(async () => {
      // 06:00 to 20:00: past the issue-day send window, so the step ran, found the slot taken and waits.
      await harness.env.sleep(14 * 60 * 60 * 1000);
      await payOffline(invoiceId, 125_000);
      return handle.result();
    });
    await recordHistory('deferred-then-paid', handle);
    expect(result.outcome).toBe('paid');
    const at = (event: string) => result.history.find((entry) => entry.event === event)?.at ?? Number.NaN;
    expect(at('step.deferred')).toBeLessThan(at('payment.full'));
    // Not at the next retry of a waiting activity (up to ten minutes later): within moments.
    expect(at('ended') - at('payment.full')).toBeLessThan(60_000);
    expect(await messageSteps(invoiceId)).toEqual(['thank-you:email']);
  });

  it('sends the reminder on the next sending day when the invoice is still open', async () => {
    const { invoiceId } = await startWithTodaysSlotTaken();
    await harness.withWorker(async () => {
      await harness.env.sleep(1.5 * DAY);
    });
    expect(await messageSteps(invoiceId)).toEqual(['issue-email#0:email']);
  });
});
