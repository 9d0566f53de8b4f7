import type { Db, Organization } from '@settle/db';

// What the send path needs from the outside world, as ports: the worker plugs in Resend, Twilio or
// the local outbox, and the React Email and PDF renderers. Core decides; the adapters only carry.

/** What a provider said about one message. Transient failures are thrown; these are final answers. */
export type SendResult = { ok: true; providerMessageId: string | null } | { ok: false; error: string };

/**
 * A send that failed for now; the attempt is retried. `taken` says what the provider may have done:
 * `'no'` when it answered with an error (429, 5xx: it did not take the message, so the message may be
 * withdrawn), `'unknown'` when no answer came (a timeout, a reset connection): it may have the
 * message, which must then be looked up or sent again under its idempotency key, never dropped.
 */
export class TransientSendError extends Error {
  override name = 'TransientSendError';
  readonly taken: 'no' | 'unknown';
  constructor(message: string, options: { taken?: 'no' | 'unknown' } = {}) {
    super(message);
    this.taken = options.taken ?? 'unknown';
  }
}

/**
 * What a provider holds for a message whose send got no answer: the message, `null` when it
 * certainly has none, or `'unknown'` when the lookup cannot tell (too many messages to search).
 */
export type SentLookup = { providerMessageId: string } | null | 'unknown';

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
  /**
   * The e-mail the provider holds for this recipient and subject, created since `since`. Sending
   * again under the idempotency key is safe for e-mail, so this is needed only to withdraw a message
   * whose send got no answer (its invoice was paid meanwhile).
   */
  findSent?(message: EmailMessage & { since: Date }): Promise<SentLookup>;
  /** How long a provider call may run before it is aborted (no answer means "maybe sent"). */
  readonly timeoutMs?: number;
}

export interface SmsSender {
  readonly provider: 'twilio' | 'outbox';
  send(message: SmsMessage): Promise<SendResult>;
  /**
   * A provider without idempotency keys (Twilio) may have taken a message whose request got no
   * answer: the message it holds for this recipient and text, created since `since`, or null.
   */
  findSent?(message: SmsMessage & { since: Date }): Promise<SentLookup>;
  /** How long a provider call may run before it is aborted (no answer means "maybe sent"). */
  readonly timeoutMs?: number;
}

export interface LetterInput {
  sender: { name: string; addressLines: string[] };
  recipientLines: string[];
  /** Place and date line, e.g. "Warszawa, 23 listopada 2026". */
  dateLine: string;
  subject: string;
  text: string;
}

export interface MessageRenderers {
  renderEmailHtml(input: {
    subject: string;
    text: string;
    organization: Pick<
      Organization,
      'name' | 'logo_url' | 'address_line1' | 'postal_code' | 'city' | 'sender_email'
    >;
  }): Promise<string>;
  renderLetterPdf(letter: LetterInput): Promise<Buffer>;
}

/** Everything a reminder use case needs, passed in (the clock too, so tests pin the day). */
export interface ReminderDeps extends MessageRenderers {
  db: Db;
  email: EmailSender;
  sms: SmsSender;
  now: () => Date;
  portalBaseUrl: string;
  logger: { warn(details: object, message: string): void };
}
