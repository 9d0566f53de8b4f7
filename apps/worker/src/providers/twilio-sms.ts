import {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  type SendResult,
  type SmsMessage,
  type SmsSender,
  TransientProviderError,
} from './types';

/** The messages of Twilio's list resource that a lookup reads. */
interface TwilioMessagePage {
  messages?: { sid?: string; to?: string; from?: string; body?: string; date_created?: string }[];
  next_page_uri?: string | null;
}

/** Twilio's clock and ours may disagree a little; a message this much older than the record still counts. */
const CLOCK_SLACK_MS = 60_000;
/** Pages of one recipient's messages read before giving up (100 each, newest first). */
const MAX_LOOKUP_PAGES = 5;

/**
 * Twilio's Messages API over plain HTTPS (no SDK in the stack). Twilio has no idempotency header, so
 * the caller's message row (unique by idempotency key, status checked before sending) is the guard,
 * and a call that got no answer is settled by {@link SmsSender.findSent} before sending again. Every
 * call is aborted after `timeoutMs`, well inside the activity's own timeout, so a retry never runs
 * while an earlier attempt's request is still open.
 */
export function createTwilioSmsSender(options: {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl?: string;
  timeoutMs?: number;
}): SmsSender {
  const baseUrl = options.baseUrl ?? 'https://api.twilio.com';
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const auth = Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');
  const messagesPath = `/2010-04-01/Accounts/${options.accountSid}/Messages.json`;

  /** One request with its body read, both inside the timeout; no answer is a transient error. */
  async function call(path: string, init: RequestInit = {}): Promise<{ response: Response; body: unknown }> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { Authorization: `Basic ${auth}`, ...init.headers },
        signal,
      });
      const body: unknown = await response.json().catch((error: unknown) => {
        if (signal.aborted) throw error;
        return {};
      });
      return { response, body };
    } catch (error) {
      if (signal.aborted) throw new TransientProviderError(`twilio: no answer within ${timeoutMs} ms`);
      throw new TransientProviderError(`twilio: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function failure(response: Response, body: unknown): string {
    const { code, message } = (body ?? {}) as { code?: number; message?: string };
    return `twilio: ${response.status} ${code ?? ''} ${message ?? response.statusText}`.trim();
  }

  return {
    provider: 'twilio',
    timeoutMs,
    async send(message: SmsMessage): Promise<SendResult> {
      const { response, body } = await call(messagesPath, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: message.to, From: options.from, Body: message.text }),
      });
      if (response.ok) return { ok: true, providerMessageId: (body as { sid?: string }).sid ?? null };
      const reason = failure(response, body);
      if (response.status === 429 || response.status >= 500)
        throw new TransientProviderError(reason, { taken: 'no' });
      return { ok: false, error: reason };
    },

    async findSent(message) {
      const since = message.since.getTime() - CLOCK_SLACK_MS;
      // DateSent filters by whole UTC days; the day before covers a record made just after midnight.
      const query = new URLSearchParams({
        To: message.to,
        From: options.from,
        'DateSent>': new Date(since - 86_400_000).toISOString().slice(0, 10),
        PageSize: '100',
      });
      let path: string | null = `${messagesPath}?${query}`;
      for (let page = 0; path && page < MAX_LOOKUP_PAGES; page++) {
        const { response, body } = await call(path);
        // Without an answer we cannot tell: the attempt fails and Temporal retries the lookup.
        if (!response.ok) throw new TransientProviderError(`lookup: ${failure(response, body)}`);
        const listed = body as TwilioMessagePage;
        const match = listed.messages?.find(
          (candidate) =>
            candidate.sid &&
            candidate.to === message.to &&
            candidate.body === message.text &&
            Date.parse(candidate.date_created ?? '') >= since,
        );
        if (match?.sid) return { providerMessageId: match.sid };
        path = listed.next_page_uri ?? null;
      }
      // More pages than a lookup reads: the message may be on one of them.
      return path ? 'unknown' : null;
    },
  };
}
