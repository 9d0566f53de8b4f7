/** What a provider said about one message. Transient failures are thrown; these are final answers. */
export type SendResult = { ok: true; providerMessageId: string | null } | { ok: false; error: string };

export interface EmailMessage {
  idempotencyKey: string;
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmsMessage {
  idempotencyKey: string;
  to: string;
  text: string;
}

export interface EmailSender {
  readonly provider: 'resend' | 'outbox';
  send(message: EmailMessage): Promise<SendResult>;
}

export interface SmsSender {
  readonly provider: 'twilio' | 'outbox';
  send(message: SmsMessage): Promise<SendResult>;
}

/** A retryable provider failure (429, 5xx, network): the activity throws it and Temporal backs off. */
export class TransientProviderError extends Error {
  override name = 'TransientProviderError';
}
