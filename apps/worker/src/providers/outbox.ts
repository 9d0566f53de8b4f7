import type { Logger } from '@settle/logging';
import type { EmailSender, SmsSender } from './types';

/**
 * Local mode, used when no provider keys are set: nothing leaves the machine. The message row in
 * `communications` is the outbox (listed in the finance console); this only logs that it was "sent".
 */
export function createOutboxEmailSender(logger: Logger): EmailSender {
  return {
    provider: 'outbox',
    async send(message) {
      logger.info(
        { to: message.to, subject: message.subject, key: message.idempotencyKey },
        'outbox: e-mail',
      );
      return { ok: true, providerMessageId: null };
    },
  };
}

export function createOutboxSmsSender(logger: Logger): SmsSender {
  return {
    provider: 'outbox',
    async send(message) {
      logger.info({ to: message.to, key: message.idempotencyKey }, 'outbox: SMS');
      return { ok: true, providerMessageId: null };
    },
  };
}
