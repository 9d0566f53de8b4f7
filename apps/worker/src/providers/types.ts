// The sender ports are defined where the send path lives (core); the providers here implement them.

export { DEFAULT_PROVIDER_TIMEOUT_MS } from '@settle/config';
export type { EmailMessage, EmailSender, SendResult, SmsMessage, SmsSender } from '@settle/core';

/** A retryable provider failure (429, 5xx, network, no answer in time): the activity throws it and Temporal backs off. */
export class TransientProviderError extends Error {
  override name = 'TransientProviderError';
}
