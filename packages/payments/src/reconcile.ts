import { RECONCILIATION_SCHEDULE_ID, type ReconciliationReport, TASK_QUEUE } from '@settle/workflows';
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type Stripe from 'stripe';
import { type AcceptEventDeps, acceptPaymentEvent } from './accept-event';
import { type GoCardlessGateway, isHandledGoCardlessEvent } from './gocardless';
import { isHandledStripeEvent, STRIPE_EVENT_TYPES } from './stripe';

export interface ReconcileDeps extends AcceptEventDeps {
  stripe: Stripe | null;
  gocardless: GoCardlessGateway | null;
}

/**
 * Lists the providers' recent events and feeds those never seen through the same path as a webhook
 * (store once, then the payment event workflow), so a missed webhook is found on the next run.
 */
export async function reconcileProviderEvents(
  deps: ReconcileDeps,
  input: { since: Date },
): Promise<ReconciliationReport> {
  const report: ReconciliationReport = { stripe: null, gocardless: null };
  if (deps.stripe) {
    let listed = 0;
    let fed = 0;
    const events = deps.stripe.events.list({
      created: { gte: Math.floor(input.since.getTime() / 1000) },
      types: [...STRIPE_EVENT_TYPES],
      limit: 100,
    });
    for await (const event of events) {
      listed++;
      if (!isHandledStripeEvent(event.type)) continue;
      const result = await acceptPaymentEvent(deps, {
        provider: 'stripe',
        eventId: event.id,
        type: event.type,
        payload: event,
      });
      if (result.outcome === 'accepted') fed++;
    }
    report.stripe = { listed, fed };
  }
  if (deps.gocardless) {
    let fed = 0;
    const events = await deps.gocardless.listEventsSince(input.since);
    for (const event of events) {
      if (!isHandledGoCardlessEvent(event)) continue;
      const result = await acceptPaymentEvent(deps, {
        provider: 'gocardless',
        eventId: event.id,
        type: `${event.resource_type}.${event.action}`,
        payload: event,
      });
      if (result.outcome === 'accepted') fed++;
    }
    report.gocardless = { listed: events.length, fed };
  }
  return report;
}

/**
 * Creates the reconciliation schedule unless it exists: every `every` (default 15 minutes) it looks
 * back `lookbackMinutes` (default 3 hours, so a run that failed is covered by the next ones).
 */
export async function ensureReconciliationSchedule(
  client: Client,
  options: { taskQueue?: string; every?: string; lookbackMinutes?: number } = {},
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: RECONCILIATION_SCHEDULE_ID,
      spec: { intervals: [{ every: (options.every ?? '15 minutes') as '15 minutes' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'reconcilePaymentsWorkflow',
        taskQueue: options.taskQueue ?? TASK_QUEUE,
        args: [{ lookbackMinutes: options.lookbackMinutes ?? 180 }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'exists';
    throw error;
  }
}
