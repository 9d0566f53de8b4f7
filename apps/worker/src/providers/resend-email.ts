import { Resend } from 'resend';
import {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  type EmailMessage,
  type EmailSender,
  type SendResult,
  TransientProviderError,
} from './types';

// Resend answers errors as values, not exceptions. These names mean "try again later".
const TRANSIENT_ERRORS = new Set([
  'rate_limit_exceeded',
  'daily_quota_exceeded',
  'application_error',
  'internal_server_error',
  'concurrent_idempotent_requests',
]);

/** Clocks differ: the provider's record of a message may be a little older than ours. */
const CLOCK_SLACK_MS = 5 * 60_000;
const LOOKUP_PAGE_SIZE = 100;
const MAX_LOOKUP_PAGES = 20;

/**
 * Resend through its SDK. Every send carries the message's idempotency key (`Idempotency-Key`
 * header): Resend keeps it for 24 hours and answers a repeat with the first e-mail instead of sending
 * another, so a retry after a call that got no answer is safe. Withdrawing such a message (its invoice was paid
 * before the retry) first looks it up among the account's recent e-mails. Calls are aborted after `timeoutMs`,
 * well inside the activity's own timeout.
 */
export function createResendEmailSender(options: {
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
}): EmailSender {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  return {
    provider: 'resend',
    timeoutMs,
    async send(message: EmailMessage): Promise<SendResult> {
      const signal = AbortSignal.timeout(timeoutMs);
      const { data, error } = await resend.emails.send(
        {
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        },
        { idempotencyKey: message.idempotencyKey, signal },
      );
      // The SDK turns an aborted request into a generic "unable to fetch" error: name it.
      if (error) {
        if (signal.aborted) throw new TransientProviderError(`resend: no answer within ${timeoutMs} ms`);
        const status = error.statusCode;
        // No status: the request got no answer (unreachable, reset), so Resend may have the e-mail.
        if (status === null) throw new TransientProviderError(`resend: ${error.name}: ${error.message}`);
        if (status === 429 || status >= 500 || TRANSIENT_ERRORS.has(error.name)) {
          throw new TransientProviderError(`resend: ${error.name}: ${error.message}`, { taken: 'no' });
        }
        return { ok: false, error: `resend: ${error.name}: ${error.message}` };
      }
      return { ok: true, providerMessageId: data?.id ?? null };
    },

    async findSent(message) {
      const since = message.since.getTime() - CLOCK_SLACK_MS;
      // Resend lists the account's e-mails newest first; the search ends at the first one older
      // than the message's record, or after a bounded number of pages ("cannot tell").
      let after: string | undefined;
      for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
        const signal = AbortSignal.timeout(timeoutMs);
        const { data, error } = await resend.emails.list(
          { limit: LOOKUP_PAGE_SIZE, ...(after ? { after } : {}) },
          { signal },
        );
        if (error || !data)
          throw new TransientProviderError(`resend: lookup: ${error?.message ?? 'no answer'}`);
        for (const email of data.data) {
          if (Date.parse(email.created_at) < since) return null;
          if (email.to.includes(message.to) && email.subject === message.subject)
            return { providerMessageId: email.id };
        }
        const last = data.data.at(-1);
        if (!data.has_more || !last) return null;
        after = last.id;
      }
      return 'unknown';
    },
  };
}
