import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer of the fake: `delayMs` holds it back (a slow provider), `hang` never sends it. */
export interface FakeReply {
  status: number;
  body: unknown;
  delayMs?: number;
  hang?: boolean;
}

/**
 * A provider's HTTP API faked on loopback: records requests and answers with `reply`, or with what
 * `handle` returns for each request (a stateful fake such as {@link startFakeTwilio}).
 */
export async function startFakeHttp() {
  const requests: RecordedRequest[] = [];
  const state: { reply: FakeReply; handle: ((request: RecordedRequest) => FakeReply) | null } = {
    reply: { status: 200, body: {} },
    handle: null,
  };
  const held = new Set<() => void>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      const reply = state.handle ? state.handle(request) : state.reply;
      if (reply.hang) {
        // Never answers; closed with the server so a test does not leave a socket behind.
        held.add(() => res.destroy());
        return;
      }
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reply(status: number, body: unknown, options: { delayMs?: number; hang?: boolean } = {}) {
      state.reply = { status, body, ...options };
    },
    handle(handler: ((request: RecordedRequest) => FakeReply) | null) {
      state.handle = handler;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of held) release();
        held.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  /** RFC 2822, as Twilio writes it. */
  date_created: string;
  date_sent: string;
  status: 'queued';
  direction: 'outbound-api';
}

/**
 * Twilio's Messages resource on loopback: a POST creates a message the moment it arrives (as
 * Twilio does, whether or not the client waits for the answer), a GET lists them newest first,
 * filtered by `To`, `From` and `DateSent>=`. `answerDelayMs` / `hang` make the answer to a POST slow.
 */
export async function startFakeTwilio() {
  const http = await startFakeHttp();
  const messages: FakeTwilioMessage[] = [];
  const settings = { answerDelayMs: 0, hang: false };
  http.handle((request) => {
    const url = new URL(request.url, http.baseUrl);
    if (!/^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(url.pathname)) {
      return { status: 404, body: { code: 20404, message: 'not found' } };
    }
    if (request.method === 'POST') {
      const form = new URLSearchParams(request.body);
      const created = new Date().toUTCString().replace('GMT', '+0000');
      const message: FakeTwilioMessage = {
        sid: `SM${String(messages.length + 1).padStart(32, '0')}`,
        to: form.get('To') ?? '',
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
        date_created: created,
        date_sent: created,
        status: 'queued',
        direction: 'outbound-api',
      };
      messages.push(message);
      return { status: 201, body: message, delayMs: settings.answerDelayMs, hang: settings.hang };
    }
    const to = url.searchParams.get('To');
    const from = url.searchParams.get('From');
    const sentFrom = url.searchParams.get('DateSent>');
    const listed = messages
      .filter((message) => (to ? message.to === to : true))
      .filter((message) => (from ? message.from === from : true))
      .filter((message) =>
        sentFrom ? new Date(message.date_sent).toISOString().slice(0, 10) >= sentFrom : true,
      )
      .reverse();
    return { status: 200, body: { messages: listed, next_page_uri: null, page: 0, page_size: 50 } };
  });
  return {
    baseUrl: http.baseUrl,
    requests: http.requests,
    /** Every message Twilio would deliver: the test's measure of "sent twice". */
    messages,
    settings,
    close: http.close,
  };
}
