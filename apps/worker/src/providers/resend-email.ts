import { Resend } from 'resend';
import { type EmailMessage, type EmailSender, type SendResult, TransientProviderError } from './types';

// Resend answers errors as values, not exceptions. These names mean "try again later".
const TRANSIENT_ERRORS = new Set([
  'rate_limit_exceeded',
  'daily_quota_exceeded',
  'application_error',
  'internal_server_error',
  'concurrent_idempotent_requests',
]);

export function createResendEmailSender(options: { apiKey: string; baseUrl?: string }): EmailSender {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  return {
    provider: 'resend',
    async send(message: EmailMessage): Promise<SendResult> {
      const { data, error } = await resend.emails.send(
        {
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        },
        { idempotencyKey: message.idempotencyKey },
      );
      if (error) {
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
