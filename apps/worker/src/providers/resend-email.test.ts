import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHttp } from '../testing/fake-http';
import { createResendEmailSender } from './resend-email';
import { TransientProviderError } from './types';

// Resend's HTTP API faked on loopback; the real SDK talks to it through its baseUrl option.
let fake: Awaited<ReturnType<typeof startFakeHttp>>;
beforeAll(async () => {
  fake = await startFakeHttp();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const message = {
  idempotencyKey: 'invoice-1/step-due-day-email#0',
  from: 'AR <ar@acme.example>',
  to: 'ap@globex.example',
  subject: 'Reminder',
  text: 'Please pay',
  html: '<p>Please pay</p>',
};

describe('Resend e-mail sender', () => {
  it('sends with the idempotency key and returns the provider message id', async () => {
    fake.reply(200, { id: 'email_123' });
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl });
    expect(await sender.send(message)).toEqual({ ok: true, providerMessageId: 'email_123' });
    expect(fake.requests[0]?.headers['idempotency-key']).toBe(message.idempotencyKey);
    expect(JSON.parse(fake.requests[0]?.body ?? '{}')).toMatchObject({
      to: 'ap@globex.example',
      subject: 'Reminder',
      text: 'Please pay',
    });
  });

  it('reports a permanent rejection (bad address) as a failed result, not an exception', async () => {
    fake.reply(422, { statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' });
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl });
    expect(await sender.send(message)).toEqual({
      ok: false,
      error: 'resend: validation_error: Invalid `to` field.',
    });
  });

  it('throws a transient error on 429 and 5xx so the activity is retried', async () => {
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl });
    fake.reply(429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' });
    await expect(sender.send(message)).rejects.toBeInstanceOf(TransientProviderError);
    fake.reply(503, { statusCode: 503, name: 'internal_server_error', message: 'down' });
    await expect(sender.send(message)).rejects.toBeInstanceOf(TransientProviderError);
  });

  it('aborts a call Resend never answers after its timeout, as a transient error', async () => {
    fake.reply(200, { id: 'email_124' }, { hang: true });
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl, timeoutMs: 100 });
    const sent = sender.send(message);
    await expect(sent).rejects.toBeInstanceOf(TransientProviderError);
    await expect(sent).rejects.toThrow('resend: no answer within 100 ms');
  });

  it('throws a transient error when Resend cannot be reached', async () => {
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: 'http://127.0.0.1:9' });
    await expect(sender.send(message)).rejects.toBeInstanceOf(TransientProviderError);
  });
});
