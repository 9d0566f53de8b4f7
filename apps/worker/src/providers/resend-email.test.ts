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

  it('throws a transient error on 429 and 5xx so the activity is retried, saying Resend did not take the e-mail', async () => {
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl });
    fake.reply(429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' });
    await expect(sender.send(message)).rejects.toSatisfy(
      (error) => error instanceof TransientProviderError && error.taken === 'no',
    );
    fake.reply(503, { statusCode: 503, name: 'internal_server_error', message: 'down' });
    await expect(sender.send(message)).rejects.toMatchObject({ name: 'TransientProviderError', taken: 'no' });
  });

  it('aborts a call Resend never answers after its timeout, as a transient error', async () => {
    fake.reply(200, { id: 'email_124' }, { hang: true });
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl, timeoutMs: 100 });
    const sent = sender.send(message);
    await expect(sent).rejects.toBeInstanceOf(TransientProviderError);
    await expect(sent).rejects.toThrow('resend: no answer within 100 ms');
    // No answer: Resend may have the e-mail.
    await expect(sent).rejects.toMatchObject({ taken: 'unknown' });
  });

  it('throws a transient error when Resend cannot be reached', async () => {
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: 'http://127.0.0.1:9' });
    await expect(sender.send(message)).rejects.toBeInstanceOf(TransientProviderError);
  });

  describe('findSent (withdrawing an e-mail whose send got no answer)', () => {
    const since = new Date('2026-12-02T09:00:00Z');
    const listed = (id: string, createdAt: string, overrides: object = {}) => ({
      id,
      to: [message.to],
      from: message.from,
      subject: message.subject,
      created_at: createdAt,
      last_event: 'sent',
      ...overrides,
    });

    it('finds the e-mail Resend holds for the recipient and subject among the newest', async () => {
      fake.reply(200, {
        object: 'list',
        has_more: false,
        data: [
          listed('email_other', '2026-12-02T09:02:00Z', { to: ['someone@else.example'] }),
          listed('email_ours', '2026-12-02T09:01:00Z'),
        ],
      });
      const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl });
      expect(await sender.findSent?.({ ...message, since })).toEqual({ providerMessageId: 'email_ours' });
      expect(fake.requests[0]?.method).toBe('GET');
      expect(fake.requests[0]?.url).toContain('/emails');
    });

    it('pages back until e-mails older than the record, then says Resend has none', async () => {
      fake.handle((request) =>
        request.url.includes('after=email_2')
          ? {
              status: 200,
              body: { object: 'list', has_more: true, data: [listed('email_old', '2026-12-01T08:00:00Z')] },
            }
          : {
              status: 200,
              body: {
                object: 'list',
                has_more: true,
                data: [
                  listed('email_1', '2026-12-02T10:00:00Z', { subject: 'Other' }),
                  listed('email_2', '2026-12-02T09:30:00Z', { subject: 'Other' }),
                ],
              },
            },
      );
      const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl });
      expect(await sender.findSent?.({ ...message, since })).toBeNull();
      expect(fake.requests).toHaveLength(2);
      fake.handle(null);
    });

    it('cannot tell when the e-mails since the record fill more pages than a lookup reads', async () => {
      let page = 0;
      fake.handle(() => ({
        status: 200,
        body: {
          object: 'list',
          has_more: true,
          data: [listed(`email_${++page}`, '2026-12-02T12:00:00Z', { subject: 'Other' })],
        },
      }));
      const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: fake.baseUrl });
      expect(await sender.findSent?.({ ...message, since })).toBe('unknown');
      fake.handle(null);
    });
  });
});
