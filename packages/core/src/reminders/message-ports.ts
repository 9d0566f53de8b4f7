import type { Db, Organization } from '@settle/db';

// What the send path needs from the outside world, as ports: the worker plugs in Resend, Twilio or
// the local outbox, and the React Email and PDF renderers. Core decides; the adapters only carry.

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
  findSent?(message: SmsMessage & { since: Date }): Promise<{ providerMessageId: string } | null>;
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
