import {
  applyPaymentEvent,
  attributePaymentEvent,
  PaymentNotYetKnownError,
  sendPaymentSignals,
} from '@settle/core';
import type { Db } from '@settle/db';
import type { Logger } from '@settle/logging';
import {
  type GoCardlessGateway,
  paymentEventCommands,
  reconcileProviderEvents,
  type StripeClient,
} from '@settle/payments';
import type { PaymentActivities } from '@settle/workflows';
import { ApplicationFailure, Context } from '@temporalio/activity';

export interface PaymentActivityDeps {
  db: Db;
  logger: Logger;
  /** Clients for reconciliation; null when the provider has no keys (nothing to list). */
  stripe: StripeClient | null;
  gocardless: GoCardlessGateway | null;
  taskQueue?: string;
}

/** The activities of the payment event and reconciliation workflows. */
export function createPaymentActivities(deps: PaymentActivityDeps): PaymentActivities {
  /**
   * Keeps the reason with the event and attributes it to its organization, so finance sees it in the
   * list of events not applied. Best effort: when the database is what failed, this fails too, and
   * the activity's own error (retried) is what matters.
   */
  async function noteFailure(
    event: { id: string; provider: 'stripe' | 'gocardless'; type: string },
    commands: ReturnType<typeof paymentEventCommands>,
    error: string,
  ): Promise<void> {
    try {
      const { organizationId } = await attributePaymentEvent(deps.db, {
        webhookEventId: event.id,
        provider: event.provider,
        commands,
        error,
      });
      if (!organizationId) {
        deps.logger.warn(
          { webhookEventId: event.id, provider: event.provider, type: event.type, error },
          'payment event not applied and not attributable to an organization',
        );
      }
    } catch (noteError) {
      deps.logger.warn({ err: noteError, webhookEventId: event.id }, 'could not record why an event failed');
    }
  }

  return {
    async applyStoredPaymentEvent({ webhookEventId }) {
      const event = await deps.db
        .selectFrom('webhook_events')
        .select(['id', 'provider', 'type', 'payload'])
        .where('id', '=', webhookEventId)
        .executeTakeFirst();
      if (!event)
        throw ApplicationFailure.nonRetryable(`webhook event ${webhookEventId} not found`, 'NotFound');
      let commands: ReturnType<typeof paymentEventCommands>;
      try {
        commands = paymentEventCommands(event.provider, event.payload);
      } catch (error) {
        // A payload we cannot read will not get better by retrying: keep it with the reason for finance.
        const reason = `unreadable ${event.provider} ${event.type}: ${error instanceof Error ? error.message : String(error)}`;
        await noteFailure(event, [], reason);
        throw ApplicationFailure.nonRetryable(reason, 'UnreadableEvent');
      }
      try {
        const result = await applyPaymentEvent(deps.db, { webhookEventId, commands });
        deps.logger.info(
          {
            webhookEventId,
            type: event.type,
            signals: result.signals.length,
            alreadyApplied: result.alreadyApplied,
          },
          'payment event applied',
        );
        return { signals: result.signals };
      } catch (error) {
        await noteFailure(event, commands, error instanceof Error ? error.message : String(error));
        if (error instanceof PaymentNotYetKnownError) {
          // Out of order (a refund before its payment): retried with backoff until the other event lands.
          throw ApplicationFailure.retryable(error.message, 'PaymentNotYetKnown');
        }
        throw error;
      }
    },

    async sendPaymentSignals({ signals }) {
      await sendPaymentSignals(
        { temporal: Context.current().client, ...(deps.taskQueue ? { taskQueue: deps.taskQueue } : {}) },
        { signals },
      );
    },

    async reconcileProviderEvents({ lookbackMinutes }) {
      const since = new Date(Date.now() - lookbackMinutes * 60_000);
      const report = await reconcileProviderEvents(
        {
          db: deps.db,
          temporal: Context.current().client,
          stripe: deps.stripe,
          gocardless: deps.gocardless,
          ...(deps.taskQueue ? { taskQueue: deps.taskQueue } : {}),
        },
        { since },
      );
      deps.logger.info({ report, since }, 'payments reconciled');
      return report;
    },
  };
}
