import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { listUnappliedPaymentEvents, type RerunPaymentEventOutcome, rerunPaymentEvent } from '@settle/core';
import { isUuid } from '@settle/domain';
import { ActionMessage } from '../components/finance/action-message';
import { env } from '../env.server';
import {
  type ActionResult,
  actorOf,
  financeDeps,
  formString,
  requireFinance,
  requireUuid,
  runAction,
} from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Payment events not applied — Settle finance' }];

const PAGE_SIZE = 50;

const WORKFLOW_LABELS: Record<string, string> = {
  running: 'still retrying',
  completed: 'completed',
  failed: 'failed',
  terminated: 'terminated',
  timed_out: 'timed out',
  cancelled: 'cancelled',
  none: 'never started',
  unknown: 'unknown (Temporal unreachable)',
};

const OUTCOME_MESSAGES: Record<RerunPaymentEventOutcome, string> = {
  started: 'Re-run started: the event is applied within seconds if what it needs is there.',
  already_running: 'A run of this event is still in flight (retrying); nothing new was started.',
  already_applied: 'This event has been applied meanwhile; nothing was started.',
};

/** The page's cursor: `?after=<ISO time>&id=<uuid>` of the previous page's last event. */
function cursorOf(url: URL): { at: string; id: string } | undefined {
  const at = url.searchParams.get('after');
  const id = url.searchParams.get('id');
  if (!at || !id || !isUuid(id) || Number.isNaN(Date.parse(at))) return undefined;
  return { at: new Date(at).toISOString(), id };
}

/**
 * Provider payment events stored but not applied PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES after they
 * arrived, oldest first, with where each workflow stands and a re-run button.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const after = cursorOf(new URL(request.url));
  const page = await listUnappliedPaymentEvents(financeDeps(), {
    organizationId: staff.organizationId,
    olderThanMinutes: env.PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES,
    limit: PAGE_SIZE,
    ...(after ? { after } : {}),
  });
  return {
    canAct: staff.role !== 'viewer',
    minutes: env.PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES,
    events: page.rows.map((event) => ({
      id: event.id,
      provider: event.provider,
      eventId: event.eventId,
      type: event.type,
      receivedAt: event.receivedAt.toISOString(),
      error: event.error,
      workflow: event.workflow,
      canRerun: event.canRerun,
    })),
    next: page.next ? `?after=${encodeURIComponent(page.next.at)}&id=${page.next.id}` : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireFinance(request, 'collect');
  const form = await request.formData();
  const eventId = requireUuid(formString(form, 'eventId'));
  return runAction(`rerun:${eventId}`, async () => {
    const { outcome } = await rerunPaymentEvent(financeDeps(), {
      organizationId: staff.organizationId,
      webhookEventId: eventId,
      actor: actorOf(staff),
    });
    return OUTCOME_MESSAGES[outcome];
  });
}

export default function FinancePaymentEvents() {
  const { events, canAct, minutes, next } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' ? navigation.formData?.get('eventId') : null;
  return (
    <>
      <h1>Payment events not applied</h1>
      <p>
        Card and direct-debit events from Stripe and GoCardless that were received more than {minutes} minutes
        ago and are not in the books yet. Most wait for an event they depend on (a refund before its payment)
        and apply by themselves; one whose run failed or never started needs a re-run. A re-run never applies
        an event twice.
      </p>
      <ActionMessage result={result} />
      {events.length === 0 ? (
        <p>Every payment event received has been applied.</p>
      ) : (
        <table>
          <caption className="fin-visually-hidden">Payment events not applied, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Received (UTC)</th>
              <th scope="col">Provider</th>
              <th scope="col">Event</th>
              <th scope="col">Last error</th>
              <th scope="col">Workflow</th>
              {canAct ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td>{event.receivedAt.slice(0, 16).replace('T', ' ')}</td>
                <td>{event.provider}</td>
                <td>
                  {event.type}
                  <br />
                  <code>{event.eventId}</code>
                </td>
                <td>{event.error ?? 'none recorded'}</td>
                <td>{WORKFLOW_LABELS[event.workflow] ?? event.workflow}</td>
                {canAct ? (
                  <td>
                    {event.canRerun ? (
                      <Form method="post" className="fin-inline">
                        <input type="hidden" name="eventId" value={event.id} />
                        <button
                          type="submit"
                          disabled={busy === event.id}
                          aria-label={`Re-run ${event.type} ${event.eventId}`}
                        >
                          {busy === event.id ? 'Re-running…' : 'Re-run'}
                        </button>
                      </Form>
                    ) : (
                      'retrying by itself'
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <Link to={next}>Next page</Link>
        </p>
      ) : null}
    </>
  );
}
