import type { PaymentEventCommand } from '@settle/core';
import { GoCardlessEventSchema, goCardlessEventCommands } from './gocardless';
import { stripeEventCommands } from './stripe';

/** The commands of a stored provider event (a Stripe event, or one GoCardless event of a webhook body). */
export function paymentEventCommands(
  provider: 'stripe' | 'gocardless',
  payload: unknown,
): PaymentEventCommand[] {
  switch (provider) {
    case 'stripe':
      return stripeEventCommands(payload);
    case 'gocardless':
      return goCardlessEventCommands(GoCardlessEventSchema.parse(payload));
    default: {
      const unknown: never = provider;
      throw new Error(`unknown payment provider ${String(unknown)}`);
    }
  }
}
