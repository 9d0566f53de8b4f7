import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  AppError,
  type CallOutcome,
  completeTask,
  type DisputeReason,
  listTasks,
  recordCallOutcome,
} from '@settle/core';
import { ActionMessage, FieldError } from '../components/finance/action-message';
import { db } from '../db.server';
import {
  type ActionResult,
  actorOf,
  financeDeps,
  formString,
  money,
  requireFinance,
  runAction,
} from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Tasks — Settle finance' }];

const DISPUTE_REASONS: DisputeReason[] = ['not_received', 'wrong_amount', 'already_paid', 'quality', 'other'];

const KIND_LABELS: Record<string, string> = {
  letter: 'Letters to print and post',
  call: 'Calls to make',
  collections_handover: 'Hand-overs to collections',
  failed_message: 'Messages to fix',
  payment_review: 'Payments to review',
};

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const [open, done] = await Promise.all([
    listTasks({ db }, { organizationId: staff.organizationId, status: 'open' }),
    listTasks({ db }, { organizationId: staff.organizationId, status: 'done', limit: 20 }),
  ]);
  const view = (t: (typeof open)[number]) => {
    const details = (t.details ?? {}) as Record<string, unknown>;
    return {
      id: t.id,
      kind: t.kind,
      title: t.title,
      createdAt: t.created_at.toISOString(),
      completedAt: t.completed_at?.toISOString() ?? null,
      outcome: t.outcome,
      customerId: t.customer_id,
      customer: t.customer_name,
      phone: (typeof details.phone === 'string' ? details.phone : null) ?? t.customer_phone,
      script: typeof details.script === 'string' ? details.script : null,
      documentId: typeof details.documentId === 'string' ? details.documentId : null,
      error:
        t.message_error ??
        (typeof details.error === 'string'
          ? details.error
          : typeof details.reason === 'string'
            ? details.reason
            : null),
      recipient: t.message_recipient,
      invoiceId: t.invoice_id,
      invoiceNumber: t.invoice_number,
      balance:
        t.currency && t.total_minor !== null && t.paid_minor !== null
          ? money(t.total_minor - t.paid_minor, t.currency)
          : null,
    };
  };
  return { canAct: staff.role !== 'viewer', open: open.map(view), done: done.map(view) };
}

function callOutcome(form: FormData): CallOutcome {
  const kind = formString(form, 'outcome');
  const note = formString(form, 'note').trim();
  switch (kind) {
    case 'promise':
      return { kind, date: formString(form, 'date'), ...(note ? { note } : {}) };
    case 'dispute': {
      const reason = formString(form, 'reason') as DisputeReason;
      if (!DISPUTE_REASONS.includes(reason)) {
        throw new AppError('VALIDATION', 'unknown dispute reason', {
          details: [{ field: 'reason', message: 'choose a reason' }],
        });
      }
      return { kind, reason, message: note };
    }
    case 'no_answer':
      return { kind, ...(note ? { note } : {}) };
    default:
      throw new AppError('VALIDATION', 'unknown call outcome', {
        details: [{ field: 'outcome', message: 'choose what happened' }],
      });
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireFinance(request, 'collect');
  const form = await request.formData();
  const taskId = formString(form, 'taskId');
  const intent = formString(form, 'intent');
  return runAction(`${intent}:${taskId}`, async () => {
    if (intent === 'call') {
      const task = await recordCallOutcome(financeDeps(), {
        organizationId: staff.organizationId,
        taskId,
        outcome: callOutcome(form),
        actor: actorOf(staff),
      });
      return `Call recorded: ${task.outcome ?? ''}.`;
    }
    await completeTask(db, {
      organizationId: staff.organizationId,
      taskId,
      outcome: formString(form, 'outcome'),
      actor: actorOf(staff),
    });
    return 'Task done.';
  });
}

type TaskView = Awaited<ReturnType<typeof loader>>['open'][number];

function TaskActions({ task, result }: { task: TaskView; result: ActionResult | undefined }) {
  if (task.kind === 'call') {
    const mine = result?.intent === `call:${task.id}` ? result : undefined;
    return (
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="call" />
        <input type="hidden" name="taskId" value={task.id} />
        <fieldset>
          <legend>Outcome</legend>
          <label>
            <input type="radio" name="outcome" value="promise" required /> Promise to pay
          </label>{' '}
          <label>
            <input type="radio" name="outcome" value="dispute" /> Dispute
          </label>{' '}
          <label>
            <input type="radio" name="outcome" value="no_answer" /> No answer
          </label>
        </fieldset>
        <FieldError result={mine} field="outcome" />
        <label>
          Promised date
          <input type="date" name="date" />
        </label>
        <FieldError result={mine} field="date" />
        <label>
          Dispute reason
          <select name="reason" defaultValue="other">
            {DISPUTE_REASONS.map((r) => (
              <option key={r} value={r}>
                {r.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Note (what the customer said)
          <textarea name="note" />
        </label>
        <FieldError result={mine} field="message" />
        {mine && !mine.ok ? <ActionMessage result={mine} /> : null}
        <button type="submit">Record call</button>
      </Form>
    );
  }
  const label =
    task.kind === 'letter'
      ? 'Mark posted'
      : task.kind === 'collections_handover'
        ? 'Mark handed over'
        : task.kind === 'failed_message'
          ? 'Mark fixed'
          : 'Mark done';
  const outcome =
    task.kind === 'letter'
      ? 'posted'
      : task.kind === 'collections_handover'
        ? 'handed over'
        : task.kind === 'failed_message'
          ? 'fixed'
          : 'done';
  return (
    <Form method="post" className="fin-inline">
      <input type="hidden" name="intent" value="complete" />
      <input type="hidden" name="taskId" value={task.id} />
      <input type="hidden" name="outcome" value={outcome} />
      <button type="submit">{label}</button>
    </Form>
  );
}

export default function FinanceTasks() {
  const { open, done, canAct } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const kinds = Object.keys(KIND_LABELS);
  return (
    <>
      <h1>Tasks</h1>
      <p>What the workflows leave to people: letters to post, calls to make, hand-overs, messages to fix.</p>
      {result?.ok ? <ActionMessage result={result} /> : null}
      {kinds.map((kind) => {
        const tasks = open.filter((t) => t.kind === kind);
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`}>
              {KIND_LABELS[kind]} ({tasks.length})
            </h2>
            {tasks.map((task) => (
              <article key={task.id} className="fin-card">
                <h3>{task.title}</h3>
                <p>
                  {task.customerId ? (
                    <Link to={`/finance/customers/${task.customerId}`}>{task.customer}</Link>
                  ) : null}
                  {task.invoiceId ? (
                    <>
                      {' '}
                      · <Link to={`/finance/invoices/${task.invoiceId}`}>invoice {task.invoiceNumber}</Link> ·
                      balance {task.balance}
                    </>
                  ) : null}{' '}
                  · since {task.createdAt.slice(0, 10)}
                </p>
                {task.documentId ? (
                  <a href={`/finance/documents/${task.documentId}`}>Letter to print (PDF)</a>
                ) : null}
                {task.kind === 'call' ? (
                  <>
                    <p>
                      Phone: <a href={`tel:${task.phone ?? ''}`}>{task.phone ?? 'no number on file'}</a>
                    </p>
                    {task.script ? (
                      <details open>
                        <summary>Call script</summary>
                        <pre>{task.script}</pre>
                      </details>
                    ) : null}
                  </>
                ) : null}
                {task.kind === 'failed_message' ? (
                  <p>
                    Problem: {task.error ?? 'unknown'}
                    {task.recipient ? ` (to ${task.recipient})` : ''}. Fix the contact on the customer page,
                    then re-send from the invoice timeline.
                  </p>
                ) : null}
                {canAct ? <TaskActions task={task} result={result} /> : null}
              </article>
            ))}
          </section>
        );
      })}
      <h2>Recently done</h2>
      <ul>
        {done.map((t) => (
          <li key={t.id}>
            {t.completedAt?.slice(0, 10)} · {t.title}: {t.outcome}
          </li>
        ))}
      </ul>
    </>
  );
}
