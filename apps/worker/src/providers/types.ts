// The sender ports are defined where the send path lives (core); the providers here implement them.
export type { EmailMessage, EmailSender, SendResult, SmsMessage, SmsSender } from '@settle/core';

/** A retryable provider failure (429, 5xx, network): the activity throws it and Temporal backs off. */
export class TransientProviderError extends Error {
  override name = 'TransientProviderError';
}
