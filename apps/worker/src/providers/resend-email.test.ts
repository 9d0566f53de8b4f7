import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResendEmailSender } from './resend-email';
import { TransientProviderError } from './types';

// A fake of Resend's HTTP API: the real SDK talks to it through RESEND_BASE_URL's option.
let server: Server;
let baseUrl: string;
let reply: { status: number; body: unknown };
const requests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(data || '{}') });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
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
    reply = { status: 200, body: { id: 'email_123' } };
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl });
    expect(await sender.send(message)).toEqual({ ok: true, providerMessageId: 'email_123' });
    expect(requests[0]?.headers['idempotency-key']).toBe(message.idempotencyKey);
    expect(requests[0]?.body).toMatchObject({
      to: 'ap@globex.example',
      subject: 'Reminder',
      text: 'Please pay',
    });
  });

  it('reports a permanent rejection (bad address) as a failed result, not an exception', async () => {
    reply = {
      status: 422,
      body: { statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' },
    };
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl });
    expect(await sender.send(message)).toEqual({
      ok: false,
      error: 'resend: validation_error: Invalid `to` field.',
    });
  });

  it('throws a transient error on 429 and 5xx so the activity is retried', async () => {
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl });
    reply = {
      status: 429,
      body: { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' },
    };
    await expect(sender.send(message)).rejects.toBeInstanceOf(TransientProviderError);
    reply = { status: 503, body: { statusCode: 503, name: 'internal_server_error', message: 'down' } };
    await expect(sender.send(message)).rejects.toBeInstanceOf(TransientProviderError);
  });

  it('throws a transient error when Resend cannot be reached', async () => {
    const sender = createResendEmailSender({ apiKey: 're_test', baseUrl: 'http://127.0.0.1:9' });
    await expect(sender.send(message)).rejects.toBeInstanceOf(TransientProviderError);
  });
});
