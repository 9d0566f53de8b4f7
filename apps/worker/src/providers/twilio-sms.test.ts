import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHttp } from '../testing/fake-http';
import { createTwilioSmsSender } from './twilio-sms';
import { TransientProviderError } from './types';

// Twilio's Messages API faked on loopback.
let fake: Awaited<ReturnType<typeof startFakeHttp>>;
beforeAll(async () => {
  fake = await startFakeHttp();
});
afterAll(() => fake.close());

const options = () => ({
  accountSid: 'AC123',
  authToken: 'secret',
  from: '+15005550006',
  baseUrl: fake.baseUrl,
});
const sms = {
  idempotencyKey: 'invoice-1/step-due-day-sms#0',
  to: '+4915112345678',
  text: 'Invoice due today',
};

describe('Twilio SMS sender', () => {
  it('posts the message form with basic auth and returns the message SID', async () => {
    fake.reply(201, { sid: 'SM42' });
    expect(await createTwilioSmsSender(options()).send(sms)).toEqual({ ok: true, providerMessageId: 'SM42' });
    const request = fake.requests.at(-1);
    expect(request?.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('AC123:secret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      To: '+4915112345678',
      From: '+15005550006',
      Body: 'Invoice due today',
    });
  });

  it('reports an invalid number as a permanent failure and a 5xx as transient', async () => {
    fake.reply(400, { code: 21211, message: "The 'To' number is not a valid phone number." });
    expect(await createTwilioSmsSender(options()).send(sms)).toEqual({
      ok: false,
      error: "twilio: 400 21211 The 'To' number is not a valid phone number.",
    });
    fake.reply(503, {});
    const failed = createTwilioSmsSender(options()).send(sms);
    await expect(failed).rejects.toBeInstanceOf(TransientProviderError);
    // An error answer: Twilio did not take the message.
    await expect(failed).rejects.toMatchObject({ taken: 'no' });
  });

  it('aborts a call Twilio never answers after its timeout, as a transient error', async () => {
    fake.reply(201, { sid: 'SM43' }, { hang: true });
    const sender = createTwilioSmsSender({ ...options(), timeoutMs: 100 });
    const sent = sender.send(sms);
    await expect(sent).rejects.toBeInstanceOf(TransientProviderError);
    await expect(sent).rejects.toThrow('twilio: no answer within 100 ms');
    await expect(sent).rejects.toMatchObject({ taken: 'unknown' });
  });

  it('finds a message an unanswered request created: same recipient, sender and body, not older than the record', async () => {
    const since = new Date('2026-12-02T09:00:00Z');
    fake.reply(200, {
      messages: [
        {
          sid: 'SM_OTHER',
          to: sms.to,
          from: '+15005550006',
          body: 'Something else',
          date_created: 'Wed, 02 Dec 2026 09:00:05 +0000',
        },
        {
          sid: 'SM_OURS',
          to: sms.to,
          from: '+15005550006',
          body: sms.text,
          date_created: 'Wed, 02 Dec 2026 09:00:03 +0000',
        },
        {
          sid: 'SM_OLD',
          to: sms.to,
          from: '+15005550006',
          body: sms.text,
          date_created: 'Tue, 01 Dec 2026 09:00:03 +0000',
        },
      ],
      next_page_uri: null,
    });
    const sender = createTwilioSmsSender(options());
    expect(await sender.findSent?.({ ...sms, since })).toEqual({ providerMessageId: 'SM_OURS' });
    const request = fake.requests.at(-1);
    expect(request?.method).toBe('GET');
    expect(Object.fromEntries(new URL(request?.url ?? '/', fake.baseUrl).searchParams)).toEqual({
      To: sms.to,
      From: '+15005550006',
      'DateSent>': '2026-12-01',
      PageSize: '100',
    });

    fake.reply(200, { messages: [], next_page_uri: null });
    expect(await sender.findSent?.({ ...sms, since })).toBeNull();
  });
});
