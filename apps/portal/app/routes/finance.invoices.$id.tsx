import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  AppError,
  closeInvoice,
  getInvoiceDetail,
  type InvoiceSchedule,
  pauseInvoiceReminders,
  resendMessage,
  resumeInvoiceReminders,
} from '@settle/core';
import type { ScheduleCondition, ScheduleEntry } from '@settle/domain';
import { ActionMessage, FieldError } from '../components/finance/action-message';
import { MessageView } from '../components/finance/message-view';
import { db } from '../db.server';
import {
  type ActionResult,
  actorOf,
  financeDeps,
  formString,
  money,
  requireFinance,
  requireUuid,
  runAction,
} from '../lib/finance-access.server';
import { temporal } from '../temporal.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Invoice ${data?.invoice.number ?? ''} — Settle finance` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const invoiceId = requireUuid(params.id);
  const detail = await getInvoiceDetail(
    { db, temporal },
    { organizationId: staff.organizationId, invoiceId, now: new Date() },
  );
  if (!detail) throw new Response('Invoice not found', { status: 404 });
  const { invoice, customer, timeline, messages, documents, plan, schedule } = detail;
  const content = new Map(messages.map((m) => [m.id, m]));
  return {
    role: staff.role,
    invoice: {
      id: invoice.id,
      number: invoice.number,
      status: invoice.status,
      total: money(invoice.total_minor, invoice.currency),
      balance: money(invoice.total_minor - invoice.paid_minor, invoice.currency),
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      paused: invoice.paused_at !== null,
      pauseReason: invoice.pause_reason,
    },
    customer: customer ? { id: customer.id, name: customer.name, code: customer.code } : null,
    plan:
      plan.running === true
        ? {
            kind: 'running' as const,
            status: plan.state.status,
            holds: plan.state.holds,
            nextStep: plan.state.nextStep
              ? {
                  id: plan.state.nextStep.id,
                  channel: plan.state.nextStep.channel,
                  at: new Date(plan.state.nextStep.sendAt).toISOString(),
                }
              : null,
            promiseUntil: plan.state.promiseUntil ? new Date(plan.state.promiseUntil).toISOString() : null,
          }
        : plan.running === false
          ? {
              kind: 'stopped' as const,
              detail: plan.reason === 'ended' ? `ended (${plan.status})` : 'never started',
            }
          : { kind: 'unavailable' as const },
    schedule: scheduleView(schedule),
    events: timeline.map((event) => {
      if (event.kind === 'message') {
        const message = content.get(event.communicationId);
        return {
          ...event,
          text: message?.body_text ?? '',
          html: message?.body_html ?? null,
          documentId: documents.get(event.communicationId) ?? null,
        };
      }
      if (event.kind === 'payment') {
        return { ...event, display: money(event.amountMinor, event.currency) };
      }
      return event;
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireFinance(request, 'collect');
  const invoiceId = requireUuid(params.id);
  const form = await request.formData();
  const intent = formString(form, 'intent');
  const deps = financeDeps();
  const base = { organizationId: staff.organizationId, invoiceId, actor: actorOf(staff) };
  return runAction(intent, async () => {
    switch (intent) {
      case 'pause': {
        const reason = formString(form, 'reason').trim();
        if (!reason) {
          throw new AppError('VALIDATION', 'a pause needs a reason', {
            details: [{ field: 'reason', message: 'say why reminders stop' }],
          });
        }
        await pauseInvoiceReminders(deps, { ...base, reason });
        return 'Reminders paused: nothing is sent until you resume.';
      }
      case 'resume':
        await resumeInvoiceReminders(deps, base);
        return 'Reminders resumed from the next planned step.';
      case 'write-off':
        await closeInvoice(deps, { ...base, as: 'written_off' });
        return 'Invoice written off: its reminders have ended.';
      case 'resend': {
        const queued = await resendMessage(deps, {
          organizationId: staff.organizationId,
          communicationId: formString(form, 'communicationId'),
          actor: actorOf(staff),
        });
        return queued.isNew ? 'A copy is on its way.' : 'This copy was already queued.';
      }
      default:
        throw new AppError('VALIDATION', `unknown intent ${intent}`, {
          details: [{ field: 'intent', message: 'unknown action' }],
        });
    }
  });
}

const MOVE_LABELS: Record<ScheduleEntry['movedBecause'][number], string> = {
  weekend: 'weekend',
  holiday: 'public holiday',
  kept_before_due: 'kept before the due date',
};

const DROP_LABELS: Record<NonNullable<ScheduleEntry['droppedBecause']>, string> = {
  before_issue_date: 'would fall before the issue date',
  not_overdue_on_day: 'only sent when overdue, and not overdue on its day',
  replaced_by: 'another step takes its channel that day',
  already_past: 'already past',
};

function conditionLabel(condition: ScheduleCondition, currency: string): string {
  switch (condition.condition) {
    case 'only_when_overdue':
      return 'only if overdue';
    case 'only_if_unpaid_since_previous':
      return 'only if nothing was paid since the previous step';
    case 'min_balance':
      return `only if the balance is at least ${money(condition.minBalanceMinor, currency)}${
        condition.metByCurrentBalance === false ? ' (not met today)' : ''
      }`;
  }
}

/** The planned timeline as the page shows it: one row per step occurrence, reasons written out. */
function scheduleView(schedule: InvoiceSchedule) {
  const { preview, invoice } = schedule;
  // The latest message recorded for a step, by its planned step id.
  const recorded = new Map(schedule.messages.map((m) => [m.stepId, m]));
  return {
    policyName: schedule.policy?.name ?? null,
    collecting: invoice.status === 'open',
    timeZone: preview?.timeZone ?? schedule.customer.timeZone,
    sendWindow: preview?.sendWindow ?? null,
    afterPayment: preview?.afterPayment ?? null,
    entries: (preview?.entries ?? []).map((entry) => ({
      stepId: entry.stepId,
      local: `${entry.localDate} ${entry.localTime}`,
      label: entry.label ?? null,
      utcOffset: entry.utcOffset,
      daysFromDue: entry.daysFromDue,
      channel: entry.channel,
      templateKey: entry.templateKey,
      escalation: entry.escalation,
      moved:
        entry.movedBecause.length > 0
          ? `from ${entry.nominalDate}: ${entry.movedBecause.map((reason) => MOVE_LABELS[reason]).join(', ')}`
          : null,
      conditions: entry.conditions.map((condition) => conditionLabel(condition, invoice.currency)),
      status: entry.status,
      dropped: entry.droppedBecause
        ? `${DROP_LABELS[entry.droppedBecause]}${entry.replacedBy ? ` (${entry.replacedBy})` : ''}`
        : null,
      recorded: recorded.get(entry.stepId)?.status ?? null,
    })),
  };
}

function when(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

export default function FinanceInvoice() {
  const { invoice, customer, plan, schedule, events, role } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const canAct = role !== 'viewer';
  return (
    <>
      <h1>Invoice {invoice.number}</h1>
      <p>
        {customer ? <Link to={`/finance/customers/${customer.id}`}>{customer.name}</Link> : null} ·{' '}
        {invoice.status}
        {invoice.paused ? ` (reminders paused: ${invoice.pauseReason ?? ''})` : ''} · total {invoice.total} ·
        balance {invoice.balance} · issued {invoice.issueDate} · due {invoice.dueDate}
      </p>
      <ActionMessage result={result} />

      <section className="fin-card" aria-labelledby="plan-title">
        <h2 id="plan-title">Reminder workflow</h2>
        {plan.kind === 'running' ? (
          <p data-testid="workflow-plan">
            Running, {plan.status === 'on_hold' ? `on hold (${plan.holds.join(', ')})` : 'active'}.{' '}
            {plan.nextStep
              ? `Next step: ${plan.nextStep.id} by ${plan.nextStep.channel} at ${when(plan.nextStep.at)} UTC.`
              : 'No step planned.'}
            {plan.promiseUntil ? ` Promise holds until ${when(plan.promiseUntil)} UTC.` : ''}
          </p>
        ) : plan.kind === 'stopped' ? (
          <p data-testid="workflow-plan">Workflow not running ({plan.detail}).</p>
        ) : (
          <p data-testid="workflow-plan">
            The workflow service cannot be reached; its plan is unknown right now.
          </p>
        )}
        {canAct && invoice.status === 'open' ? (
          <div className="fin-inline">
            {invoice.paused ? (
              <Form method="post">
                <input type="hidden" name="intent" value="resume" />
                <button type="submit">Resume reminders</button>
              </Form>
            ) : (
              <Form method="post" className="fin-inline">
                <input type="hidden" name="intent" value="pause" />
                <label>
                  Reason
                  <input name="reason" aria-describedby="reason-error" />
                </label>
                <button type="submit">Pause reminders</button>
                <FieldError result={result} field="reason" id="reason-error" />
              </Form>
            )}
            <Form
              method="post"
              onSubmit={(event) => {
                if (!window.confirm(`Write off ${invoice.number}? Its reminders end.`))
                  event.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="write-off" />
              <button type="submit" className="danger">
                Write off
              </button>
            </Form>
          </div>
        ) : null}
      </section>

      <section className="fin-card" aria-labelledby="schedule-title">
        <h2 id="schedule-title">Planned reminders</h2>
        {schedule.policyName === null ? (
          <p data-testid="schedule-none">No reminder policy applies to this customer: nothing is planned.</p>
        ) : (
          <>
            <p>
              Policy {schedule.policyName}. Times are the customer's local time in {schedule.timeZone}
              {schedule.sendWindow
                ? `, within the send window ${schedule.sendWindow.start}–${schedule.sendWindow.end}`
                : ''}
              .{' '}
              {schedule.collecting
                ? 'A step may still be skipped at its time by its conditions or a hold.'
                : `The invoice is ${invoice.status.replace('_', ' ')}: no further reminders go out.`}
            </p>
            <table data-testid="schedule">
              <thead>
                <tr>
                  <th scope="col">When ({schedule.timeZone})</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Template</th>
                  <th scope="col">Escalation</th>
                  <th scope="col">Why moved</th>
                  <th scope="col">Conditions</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {schedule.entries.map((entry) => (
                  <tr key={entry.stepId} data-status={entry.status}>
                    <td title={entry.label ?? undefined}>
                      {entry.local} (UTC{entry.utcOffset}) · {entry.daysFromDue > 0 ? '+' : ''}
                      {entry.daysFromDue} d
                    </td>
                    <td>{entry.channel}</td>
                    <td>{entry.templateKey}</td>
                    <td>{entry.escalation}</td>
                    <td>{entry.moved ?? '—'}</td>
                    <td>{entry.conditions.length > 0 ? entry.conditions.join('; ') : '—'}</td>
                    <td>
                      {entry.status === 'dropped' ? `skipped: ${entry.dropped}` : entry.status}
                      {entry.recorded ? ` · message ${entry.recorded}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {schedule.afterPayment ? (
              <p data-testid="schedule-after-payment">
                {schedule.afterPayment.when[0]?.toUpperCase()}
                {schedule.afterPayment.when.slice(1)}: {schedule.afterPayment.channel}{' '}
                {schedule.afterPayment.templateKey}.
              </p>
            ) : null}
          </>
        )}
      </section>

      <h2>Timeline</h2>
      <ol className="fin-timeline">
        {events.map((event) => (
          <li
            key={`${event.kind}-${event.at}-${'communicationId' in event ? event.communicationId : ''}`}
            data-kind={event.kind}
          >
            <small>{when(event.at)} UTC</small>{' '}
            {event.kind === 'message' ? (
              <>
                <strong>
                  {event.channel} {event.status}
                </strong>{' '}
                ({event.stepKey}) to {event.recipient.split('\n')[0]}
                {event.error ? <span className="error"> — {event.error}</span> : null}
                <details>
                  <summary>{event.subject ?? 'Show message'}</summary>
                  <MessageView
                    subject={event.subject}
                    html={event.html}
                    text={event.text}
                    title={`Message ${event.stepKey}`}
                  />
                </details>
                {event.documentId ? (
                  <a href={`/finance/documents/${event.documentId}`}>Letter (PDF)</a>
                ) : null}
                {canAct && event.channel !== 'letter' ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="resend" />
                    <input type="hidden" name="communicationId" value={event.communicationId} />
                    <button type="submit" className="secondary">
                      Re-send
                    </button>
                  </Form>
                ) : null}
              </>
            ) : event.kind === 'payment' ? (
              <>
                <strong>Payment</strong> {event.display} by {event.method.replace('_', ' ')} via{' '}
                {event.provider} ({event.status})
              </>
            ) : event.kind === 'dispute' ? (
              <>
                <strong>Dispute</strong> ({event.reason.replace('_', ' ')}, {event.status}): {event.message}
                {event.resolution?.note ? <p>Answer: {event.resolution.note}</p> : null}
              </>
            ) : event.kind === 'promise' ? (
              <>
                <strong>Promise to pay</strong> by {event.date} ({event.status})
                {event.note ? `: ${event.note}` : ''}
              </>
            ) : (
              <>
                <strong>{event.action}</strong>
                {event.status ? ` → ${event.status}` : ''} by {event.actor.type}
              </>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
