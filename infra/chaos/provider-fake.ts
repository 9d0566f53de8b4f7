import { createHash } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Random } from './random';

/**
 * The providers' HTTP APIs faked on loopback for the fault-injection suite: Resend (`POST /emails`,
 * honouring `Idempotency-Key` as Resend documents it; `GET /emails` lists newest first, paged by
 * `limit` and `after`) and Twilio's Messages resource (`POST` creates,
 * `GET` lists, filtered by `To`, `From` and `DateSent`). It answers random 429s and 5xx, and slow
 * answers (a few very slow ones outlast the worker's activity timeout), and keeps its own log of
 * every message it accepted: the suite's measure of "sent twice" and "never sent" does not depend on
 * what Settle recorded about its deliveries.
 */

export interface AcceptedMessage {
  /** Position in the log (0-based). */
  seq: number;
  channel: 'email' | 'sms';
  /** Epoch ms when the request arrived: a provider sends on receipt, whether or not the client waits for the answer. */
  at: number;
  /** E-mail: the request's `Idempotency-Key`; SMS: none (Twilio has no such header). */
  idempotencyKey: string | null;
  to: string;
  subject: string | null;
  text: string;
  providerId: string;
}

export interface FaultRates {
  /** Share of requests answered 429 (nothing accepted). */
  tooManyRequests: number;
  /** Share answered 500/502/503 (nothing accepted). */
  serverError: number;
  /** Share of accepted requests answered after 1–8 s. */
  slow: number;
  /** Share of accepted requests answered after 65–75 s, longer than the worker's activity timeout. */
  verySlow: number;
}

export const DEFAULT_FAULTS: FaultRates = {
  tooManyRequests: 0.08,
  serverError: 0.07,
  slow: 0.1,
  verySlow: 0.01,
};

export interface ProviderFake {
  baseUrl: string;
  /** Every accepted message, in arrival order. */
  accepted: AcceptedMessage[];
  /** Answers given, by kind (`email 200`, `sms 429`, `email replay`…), for the report. */
  answers: Map<string, number>;
  /** Requests the fake could not make sense of (a suite or product bug): kept for the report. */
  problems: string[];
  /** Epoch ms of the last accepted message. */
  lastAcceptedAt(): number;
  /** Turn fault injection on or off (off while the suite waits for quiescence, if asked). */
  setFaults(rates: FaultRates | null): void;
  close(): Promise<void>;
}

interface IdempotentEmail {
  payloadHash: string;
  answered: boolean;
  response: { id: string };
}

function twilioDate(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

export async function startProviderFake(options: {
  random: Random;
  logFile: string;
  faults?: FaultRates;
}): Promise<ProviderFake> {
  const { random } = options;
  let faults: FaultRates | null = options.faults ?? DEFAULT_FAULTS;
  const accepted: AcceptedMessage[] = [];
  const answers = new Map<string, number>();
  const problems: string[] = [];
  const emailsByKey = new Map<string, IdempotentEmail>();
  const pendingTimers = new Set<NodeJS.Timeout>();
  let lastAccepted = 0;
  writeFileSync(options.logFile, '');

  const count = (kind: string) => answers.set(kind, (answers.get(kind) ?? 0) + 1);
  const send = (res: ServerResponse, status: number, body: unknown, delayMs = 0) => {
    const answer = () => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (delayMs <= 0) return answer();
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      answer();
    }, delayMs);
    pendingTimers.add(timer);
  };
  /** A fault answer instead of acceptance, or null to accept. */
  const fault = (): { status: number; kind: '429' | '5xx' } | null => {
    if (!faults) return null;
    const draw = random.next();
    if (draw < faults.tooManyRequests) return { status: 429, kind: '429' };
    if (draw < faults.tooManyRequests + faults.serverError)
      return { status: random.pick([500, 502, 503]), kind: '5xx' };
    return null;
  };
  const answerDelay = (): number => {
    if (!faults) return 0;
    const draw = random.next();
    if (draw < faults.verySlow) return random.int(65_000, 75_000);
    if (draw < faults.verySlow + faults.slow) return random.int(1_000, 8_000);
    return 0;
  };
  const accept = (message: Omit<AcceptedMessage, 'seq' | 'at'>): AcceptedMessage => {
    const entry: AcceptedMessage = { seq: accepted.length, at: Date.now(), ...message };
    accepted.push(entry);
    lastAccepted = entry.at;
    appendFileSync(options.logFile, `${JSON.stringify(entry)}\n`);
    return entry;
  };

  const handleEmail = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const failure = fault();
    if (failure) {
      count(`email ${failure.kind}`);
      const name = failure.status === 429 ? 'rate_limit_exceeded' : 'internal_server_error';
      return send(res, failure.status, { statusCode: failure.status, name, message: `chaos: ${name}` });
    }
    let payload: { to?: string | string[]; subject?: string; text?: string };
    try {
      payload = JSON.parse(raw);
    } catch {
      problems.push(`e-mail body is not JSON: ${raw.slice(0, 80)}`);
      return send(res, 422, { statusCode: 422, name: 'validation_error', message: 'body is not JSON' });
    }
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    const payloadHash = createHash('sha256').update(raw).digest('hex');
    if (key) {
      const earlier = emailsByKey.get(key);
      if (earlier) {
        if (earlier.payloadHash !== payloadHash) {
          count('email 409 other payload');
          problems.push(`idempotency key ${key} reused with another payload`);
          return send(res, 409, {
            statusCode: 409,
            name: 'invalid_idempotent_request',
            message: 'Same idempotency key used with a different request payload.',
          });
        }
        if (!earlier.answered) {
          count('email 409 concurrent');
          return send(res, 409, {
            statusCode: 409,
            name: 'concurrent_idempotent_requests',
            message: 'Same idempotency key used while original request is still in progress.',
          });
        }
        count('email replay');
        return send(res, 200, earlier.response);
      }
    }
    const to = Array.isArray(payload.to) ? payload.to.join(',') : (payload.to ?? '');
    const id = `chaos-email-${accepted.length + 1}`;
    accept({
      channel: 'email',
      idempotencyKey: key,
      to,
      subject: payload.subject ?? null,
      text: payload.text ?? '',
      providerId: id,
    });
    const record: IdempotentEmail = { payloadHash, answered: false, response: { id } };
    if (key) emailsByKey.set(key, record);
    const delay = answerDelay();
    count(delay > 60_000 ? 'email 200 very slow' : delay > 0 ? 'email 200 slow' : 'email 200');
    send(res, 200, record.response, delay);
    // Answered (or given up on by the client): a replay now gets the same answer.
    const done = () => {
      record.answered = true;
    };
    if (delay <= 0) done();
    else {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        done();
      }, delay);
      pendingTimers.add(timer);
    }
  };

  const listEmails = (res: ServerResponse, url: URL) => {
    if (faults && random.chance(faults.serverError)) {
      count('email list 5xx');
      return send(res, 503, { statusCode: 503, name: 'internal_server_error', message: 'chaos: list' });
    }
    count('email list');
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20)));
    const after = url.searchParams.get('after');
    const newestFirst = accepted.filter((m) => m.channel === 'email').reverse();
    const from = after ? newestFirst.findIndex((m) => m.providerId === after) + 1 : 0;
    const page = newestFirst.slice(from, from + limit);
    return send(res, 200, {
      object: 'list',
      has_more: from + limit < newestFirst.length,
      data: page.map((m) => ({
        id: m.providerId,
        to: m.to.split(','),
        from: '',
        subject: m.subject,
        created_at: new Date(m.at).toISOString(),
        last_event: 'sent',
      })),
    });
  };

  const handleSms = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string) => {
    if (req.method === 'GET') {
      const failure = faults && random.chance(faults.serverError) ? 503 : null;
      if (failure) {
        count('sms list 5xx');
        return send(res, failure, { code: 20500, message: 'chaos: internal error', status: failure });
      }
      count('sms list');
      const to = url.searchParams.get('To');
      const from = url.searchParams.get('From');
      const onDay = url.searchParams.get('DateSent');
      const fromDay = url.searchParams.get('DateSent>');
      const untilDay = url.searchParams.get('DateSent<');
      const day = (m: AcceptedMessage) => new Date(m.at).toISOString().slice(0, 10);
      const listed = accepted
        .filter((m) => m.channel === 'sms')
        .filter((m) => (to ? m.to === to : true))
        .filter((m) => (onDay ? day(m) === onDay : true))
        .filter((m) => (fromDay ? day(m) >= fromDay : true))
        .filter((m) => (untilDay ? day(m) <= untilDay : true))
        .reverse()
        .map((m) => ({
          sid: m.providerId,
          to: m.to,
          from: from ?? '',
          body: m.text,
          status: 'sent',
          direction: 'outbound-api',
          date_created: twilioDate(m.at),
          date_sent: twilioDate(m.at),
        }));
      return send(res, 200, {
        messages: listed,
        next_page_uri: null,
        page: 0,
        page_size: listed.length,
        uri: url.pathname,
      });
    }
    const failure = fault();
    if (failure) {
      count(`sms ${failure.kind}`);
      return send(res, failure.status, {
        code: failure.status === 429 ? 20429 : 20500,
        message: failure.status === 429 ? 'Too Many Requests' : 'chaos: internal error',
        status: failure.status,
      });
    }
    const form = new URLSearchParams(raw);
    const sid = `SM${String(accepted.length + 1).padStart(32, '0')}`;
    const entry = accept({
      channel: 'sms',
      idempotencyKey: null,
      to: form.get('To') ?? '',
      subject: null,
      text: form.get('Body') ?? '',
      providerId: sid,
    });
    const delay = answerDelay();
    count(delay > 60_000 ? 'sms 201 very slow' : delay > 0 ? 'sms 201 slow' : 'sms 201');
    send(
      res,
      201,
      {
        sid,
        to: entry.to,
        from: form.get('From') ?? '',
        body: entry.text,
        status: 'queued',
        direction: 'outbound-api',
        date_created: twilioDate(entry.at),
        date_sent: null,
      },
      delay,
    );
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'POST' && url.pathname === '/emails') return handleEmail(req, res, raw);
      if (req.method === 'GET' && url.pathname === '/emails') return listEmails(res, url);
      if (/^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(url.pathname))
        return handleSms(req, res, url, raw);
      problems.push(`unexpected request ${req.method} ${url.pathname}`);
      send(res, 404, { statusCode: 404, name: 'not_found', message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accepted,
    answers,
    problems,
    lastAcceptedAt: () => lastAccepted,
    setFaults: (rates) => {
      faults = rates;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pendingTimers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
