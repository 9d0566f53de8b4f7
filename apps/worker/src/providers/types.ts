// The sender ports are defined where the send path lives (core); the providers here implement them.

export { DEFAULT_PROVIDER_TIMEOUT_MS } from '@settle/config';
export type { EmailMessage, EmailSender, SendResult, SentLookup, SmsMessage, SmsSender } from '@settle/core';

import { TransientSendError } from '@settle/core';

/**
 * A retryable provider failure: the activity throws it and Temporal backs off. An error answer
 * (429, 5xx) is `taken: 'no'`; a network error or no answer in time is `taken: 'unknown'` (default).
 */
export class TransientProviderError extends TransientSendError {
  override name = 'TransientProviderError';
}
