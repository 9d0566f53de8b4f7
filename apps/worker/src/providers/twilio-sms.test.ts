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
    await expect(createTwilioSmsSender(options()).send(sms)).rejects.toBeInstanceOf(TransientProviderError);
  });
});
