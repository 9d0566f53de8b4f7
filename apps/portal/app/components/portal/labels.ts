import type { MessageKey } from '../../i18n/messages';

/** Message keys for values stored as plain strings (unknown values get a neutral label). */

export function methodKey(method: string): MessageKey {
  switch (method) {
    case 'card':
      return 'method.card';
    case 'direct_debit':
      return 'method.direct_debit';
    case 'bank_transfer':
      return 'method.bank_transfer';
    default:
      return 'method.other';
  }
}

const PAYMENT_STATUSES = [
  'pending',
  'confirmed',
  'paid_out',
  'failed',
  'cancelled',
  'refunded',
  'charged_back',
] as const;

export function paymentStatusKey(status: string): MessageKey {
  return `paymentStatus.${PAYMENT_STATUSES.find((s) => s === status) ?? 'pending'}`;
}

/** The dispute reasons, in the order the form offers them (the same list as core's). */
export const DISPUTE_REASONS = ['not_received', 'wrong_amount', 'already_paid', 'quality', 'other'] as const;

export function reasonKey(reason: string): MessageKey {
  return `reason.${DISPUTE_REASONS.find((r) => r === reason) ?? 'other'}`;
}

export function channelKey(channel: string): MessageKey {
  return channel === 'sms' ? 'channel.sms' : channel === 'letter' ? 'channel.letter' : 'channel.email';
}
