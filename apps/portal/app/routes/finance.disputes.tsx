import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { answerDispute, listOpenDisputes } from '@settle/core';
import { ActionMessage, FieldError } from '../components/finance/action-message';
import { db } from '../db.server';
import {
  type ActionResult,
  financeDeps,
  formString,
  money,
  requireFinance,
  runAction,
} from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Disputes — Settle finance' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const { disputes, attachments } = await listOpenDisputes({ db }, { organizationId: staff.organizationId });
  return {
    canResolve: staff.role !== 'viewer',
    disputes: disputes.map((d) => ({
      id: d.id,
      reason: d.reason,
      message: d.message,
      openedAt: d.opened_at.toISOString(),
      invoiceId: d.invoice_id,
      invoiceNumber: d.invoice_number,
      balance: money(d.total_minor - d.paid_minor, d.currency),
      dueDate: d.due_date,
      customerId: d.customer_id,
      customer: `${d.customer_name} (${d.customer_code})`,
      attachments: attachments
        .filter((a) => a.dispute_id === d.id)
        .map((a) => ({ id: a.id, filename: a.filename, sizeBytes: a.size_bytes })),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireFinance(request, 'collect');
  const form = await request.formData();
  const disputeId = formString(form, 'disputeId');
  return runAction(`resolve:${disputeId}`, async () => {
    const result = await answerDispute(financeDeps(), {
      organizationId: staff.organizationId,
      disputeId,
      outcome: formString(form, 'outcome'),
      note: formString(form, 'note'),
      actor: { type: 'user', id: staff.userId },
    });
    return result.outcome === 'upheld'
      ? 'Dispute upheld: the invoice is void and its reminders have ended.'
      : 'Dispute rejected: the customer sees your reply in the portal and reminders resume.';
  });
}

export default function FinanceDisputes() {
  const { disputes, canResolve } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  return (
    <>
      <h1>Disputes</h1>
      <p>Open disputes, oldest first. Reminders for a disputed invoice are on hold until you answer.</p>
      {result?.ok ? <ActionMessage result={result} /> : null}
      {disputes.length === 0 ? <p>No open disputes.</p> : null}
      {disputes.map((d) => {
        const mine = result?.intent === `resolve:${d.id}` ? result : undefined;
        return (
          <section key={d.id} className="fin-card" aria-labelledby={`dispute-${d.id}`}>
            <h2 id={`dispute-${d.id}`}>
              <Link to={`/finance/invoices/${d.invoiceId}`}>Invoice {d.invoiceNumber}</Link> —{' '}
              <Link to={`/finance/customers/${d.customerId}`}>{d.customer}</Link>
            </h2>
            <p>
              Opened {d.openedAt.slice(0, 10)} · reason <strong>{d.reason.replace('_', ' ')}</strong> ·
              balance {d.balance} · due {d.dueDate}
            </p>
            <blockquote>{d.message || '(no message)'}</blockquote>
            {d.attachments.length > 0 ? (
              <ul aria-label="Attachments">
                {d.attachments.map((a) => (
                  <li key={a.id}>
                    <a href={`/finance/attachments/${a.id}`}>{a.filename}</a> ({Math.ceil(a.sizeBytes / 1024)}{' '}
                    KB)
                  </li>
                ))}
              </ul>
            ) : null}
            {canResolve ? (
              <Form method="post" className="stack">
                <input type="hidden" name="disputeId" value={d.id} />
                <label htmlFor={`note-${d.id}`}>Reply to the customer (required to reject)</label>
                <textarea id={`note-${d.id}`} name="note" aria-describedby={`note-error-${d.id}`} />
                <FieldError result={mine} field="note" id={`note-error-${d.id}`} />
                {mine && !mine.ok ? <ActionMessage result={mine} /> : null}
                <div className="fin-inline">
                  <button
                    type="submit"
                    name="outcome"
                    value="rejected"
                    disabled={navigation.state !== 'idle'}
                  >
                    Reject and resume reminders
                  </button>
                  <button
                    type="submit"
                    name="outcome"
                    value="upheld"
                    className="danger"
                    disabled={navigation.state !== 'idle'}
                  >
                    Uphold and void the invoice
                  </button>
                </div>
              </Form>
            ) : (
              <p>Your role can read disputes; a collector or admin answers them.</p>
            )}
          </section>
        );
      })}
    </>
  );
}
