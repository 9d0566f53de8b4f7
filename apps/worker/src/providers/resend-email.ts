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

/**
 * Resend through its SDK. Every send carries the message's idempotency key (`Idempotency-Key`
 * header): Resend keeps it for 24 hours and answers a repeat with the first e-mail instead of sending
 * another, so a retry after a call that got no answer is safe. Calls are aborted after `timeoutMs`,
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
        if (status === null || status === 429 || status >= 500 || TRANSIENT_ERRORS.has(error.name)) {
          throw new TransientProviderError(`resend: ${error.name}: ${error.message}`);
        }
        return { ok: false, error: `resend: ${error.name}: ${error.message}` };
      }
      return { ok: true, providerMessageId: data?.id ?? null };
    },
  };
}
