import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listOutboxMessages } from '@settle/core';
import { MessageView } from '../components/finance/message-view';
import { db } from '../db.server';
import { requireFinance } from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Outbox — Settle finance' }];

/** The outbox: every message recorded (sent, or held in local mode), newest first, as it was rendered. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const messages = await listOutboxMessages({ db }, { organizationId: staff.organizationId, limit: 200 });
  return {
    messages: messages.map((m) => ({
      id: m.id,
      customer: m.customer_name,
      channel: m.channel,
      step: m.step_key,
      locale: m.locale,
      status: m.status,
      provider: m.provider,
      recipient: m.recipient,
      subject: m.subject,
      body: m.body_text,
      html: m.body_html,
      at: m.created_at.toISOString(),
      documentId: m.document_id,
      invoiceId: m.invoice_id,
    })),
  };
}

export default function FinanceOutbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Outbox</h1>
      <p>
        Every e-mail, SMS and letter recorded, newest first. With no provider keys set (local mode), nothing
        leaves this machine: the provider column says <code>outbox</code>.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Customer</th>
            <th scope="col">Channel</th>
            <th scope="col">Step</th>
            <th scope="col">Language</th>
            <th scope="col">Status</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{m.at.slice(0, 16).replace('T', ' ')}</td>
              <td>{m.customer}</td>
              <td>{m.channel}</td>
              <td>{m.step}</td>
              <td>{m.locale}</td>
              <td>
                {m.status} ({m.provider})
              </td>
              <td>
                <details>
                  <summary>
                    {m.subject ?? m.body.slice(0, 60)} — to {m.recipient.split('\n')[0]}
                  </summary>
                  <MessageView subject={m.subject} html={m.html} text={m.body} title={`Message ${m.step}`} />
                </details>
                {m.documentId ? <a href={`/finance/documents/${m.documentId}`}>Letter (PDF)</a> : null}{' '}
                {m.invoiceId ? <Link to={`/finance/invoices/${m.invoiceId}`}>Invoice timeline</Link> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
