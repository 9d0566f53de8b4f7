import type { MessageActivities } from '@settle/workflows';
import { activityClock } from './activity-clock';
import type { ActivityDeps } from './index';
import { sendStoredMessage } from './send-stored-message';

/**
 * The activity of the one-message workflow (`queueMessage` in core): sends a pending message through
 * the same path as the reminder steps, with the message's idempotency key, so a retried attempt is
 * one message at the provider.
 */
export function createMessageActivities(deps: ActivityDeps): MessageActivities {
  const now = deps.now ?? activityClock;
  return {
    async deliverMessage({ communicationId }) {
      return sendStoredMessage(deps, communicationId, now());
    },
  };
}
