import { type SendResult, type SmsMessage, type SmsSender, TransientProviderError } from './types';

/**
 * Twilio's Messages API over plain HTTPS (no SDK in the stack). Twilio has no idempotency header, so
 * the caller's message row (unique by idempotency key, status checked before sending) is the guard.
 */
export function createTwilioSmsSender(options: {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl?: string;
}): SmsSender {
  const baseUrl = options.baseUrl ?? 'https://api.twilio.com';
  const auth = Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');
  return {
    provider: 'twilio',
    async send(message: SmsMessage): Promise<SendResult> {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/2010-04-01/Accounts/${options.accountSid}/Messages.json`, {
          method: 'POST',
          headers: { Authorization: `Basic ${auth}`, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ To: message.to, From: options.from, Body: message.text }),
        });
      } catch (error) {
        throw new TransientProviderError(`twilio: ${error instanceof Error ? error.message : String(error)}`);
      }
      const body = (await response.json().catch(() => ({}))) as {
        sid?: string;
        message?: string;
        code?: number;
      };
      if (response.ok) return { ok: true, providerMessageId: body.sid ?? null };
      const reason =
        `twilio: ${response.status} ${body.code ?? ''} ${body.message ?? response.statusText}`.trim();
      if (response.status === 429 || response.status >= 500) throw new TransientProviderError(reason);
      return { ok: false, error: reason };
    },
  };
}
