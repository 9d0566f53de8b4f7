import { databaseEnv, loadConfig } from '@settle/config';
import { getCommunication, insertCommunicationOnce } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { createLogger } from '@settle/logging';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { startFakeTwilio } from '../testing/fake-http';
import { RecordingSender } from '../testing/workflow-harness';
import { createTwilioSmsSender } from './twilio-sms';

// The worker's delivery activity with the real Twilio sender, against Twilio faked at its HTTP
// boundary and a real database. Temporal retries an attempt whose call outlived it; these tests
// play those attempts one after another (and overlapping) as Temporal would.
const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  twilio = await startFakeTwilio();
});
afterAll(async () => {
  await twilio?.close();
  await testDb?.drop();
});
beforeEach(() => {
  twilio.messages.length = 0;
  twilio.requests.length = 0;
  twilio.settings.answerDelayMs = 0;
  twilio.settings.hang = false;
});

const TIMEOUT_MS = 300;

function deliveryActivities() {
  return createActivities({
    db: testDb.db,
    email: new RecordingSender(),
    sms: createTwilioSmsSender({
      accountSid: 'AC123',
      authToken: 'secret',
      from: '+15005550006',
      baseUrl: twilio.baseUrl,
      timeoutMs: TIMEOUT_MS,
    }),
    logger: createLogger('test', 'silent'),
    portalBaseUrl: 'http://portal.test',
  });
}

/** A recorded, not yet delivered SMS (as a reminder step or a notice leaves it). */
async function recordedSms(text: string) {
  const { organization, customer } = await seedTenant(testDb.db);
  const { communication } = await insertCommunicationOnce(
    testDb.db,
    {
      organization_id: organization.id,
      customer_id: customer.id,
      idempotency_key: `invoice-${customer.id}/step-due-day-sms#0`,
      step_key: 'due-day-sms#0',
      channel: 'sms',
      locale: 'en',
      recipient: '+4915112345678',
      subject: null,
      body_text: text,
      body_html: null,
      provider: 'twilio',
      provider_message_id: null,
    },
    [],
  );
  return communication;
}

async function settled(promise: Promise<unknown>): Promise<'resolved' | 'rejected'> {
  return promise.then(
    () => 'resolved' as const,
    () => 'rejected' as const,
  );
}

describe('SMS delivery when Twilio answers late', () => {
  it('a retry that runs while the first request is still in flight does not send the SMS again', async () => {
    const message = await recordedSms('Invoice INV-1 is due today.');
    const activities = deliveryActivities();
    twilio.settings.answerDelayMs = 1_500; // accepted at once, answered long after the attempt gave up

    const first = activities.deliverMessage({ communicationId: message.id });
    while (twilio.messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // The first attempt's call is still open: Temporal's retry of the activity starts now.
    const overlapping = await settled(activities.deliverMessage({ communicationId: message.id }));
    await settled(first);
    twilio.settings.answerDelayMs = 0;
    // Later retries, as Temporal keeps trying until one returns.
    let outcome: unknown;
    for (let attempt = 0; attempt < 3 && outcome === undefined; attempt++) {
      outcome = await activities.deliverMessage({ communicationId: message.id }).catch(() => undefined);
    }

    expect(twilio.messages).toHaveLength(1);
    expect(overlapping).toBe('rejected');
    expect(outcome).toEqual({ status: 'sent', communicationId: message.id });
    expect(await getCommunication(testDb.db, message.id)).toMatchObject({
      status: 'sent',
      provider_message_id: twilio.messages[0]?.sid,
    });
  });

  it('a call that never gets an answer is aborted, and the retry finds the message Twilio created', async () => {
    const message = await recordedSms('Invoice INV-2 is overdue.');
    const activities = deliveryActivities();
    twilio.settings.hang = true;

    await expect(activities.deliverMessage({ communicationId: message.id })).rejects.toThrow(
      /no answer within 300 ms/,
    );
    twilio.settings.hang = false;
    expect(await activities.deliverMessage({ communicationId: message.id })).toEqual({
      status: 'sent',
      communicationId: message.id,
    });

    expect(twilio.messages).toHaveLength(1);
    const lookup = twilio.requests.find((request) => request.method === 'GET');
    expect(Object.fromEntries(new URL(lookup?.url ?? '/', twilio.baseUrl).searchParams)).toMatchObject({
      To: '+4915112345678',
      From: '+15005550006',
    });
    expect(await getCommunication(testDb.db, message.id)).toMatchObject({
      status: 'sent',
      provider_message_id: twilio.messages[0]?.sid,
    });
  });

  it('a retry after a request that never reached Twilio sends the SMS (once)', async () => {
    const message = await recordedSms('Invoice INV-3 is overdue.');
    const activities = deliveryActivities();
    // An earlier attempt claimed the message and died before its request left the machine.
    await testDb.db
      .updateTable('communications')
      .set({ sending_started_at: new Date(Date.now() - 60_000) })
      .where('id', '=', message.id)
      .execute();

    expect(await activities.deliverMessage({ communicationId: message.id })).toEqual({
      status: 'sent',
      communicationId: message.id,
    });
    expect(twilio.messages).toHaveLength(1);
    expect(twilio.messages[0]?.body).toBe('Invoice INV-3 is overdue.');
  });
});
