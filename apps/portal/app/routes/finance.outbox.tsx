import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { listDocumentIdsByCommunication, listOpenTasks, listOutbox } from '@settle/db';
import { db } from '../db.server';
import { requireStaff } from '../lib/finance-session.server';

export const meta: MetaFunction = () => [{ title: 'Outbox — Settle finance' }];

/** The outbox: every message the reminder workflows recorded (sent, or held in local mode), newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const [messages, tasks, customers, documents] = await Promise.all([
    listOutbox(db, staff.organizationId, 200),
    listOpenTasks(db, staff.organizationId),
    db
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('organization_id', '=', staff.organizationId)
      .execute(),
    listDocumentIdsByCommunication(db, staff.organizationId),
  ]);
  const names = new Map(customers.map((c) => [c.id, c.name]));
  return {
    staff: { name: staff.name, role: staff.role },
    messages: messages.map((m) => ({
      id: m.id,
      customer: names.get(m.customer_id) ?? '',
      channel: m.channel,
      step: m.step_key,
      locale: m.locale,
      status: m.status,
      recipient: m.recipient,
      subject: m.subject,
      body: m.body_text,
      at: m.created_at.toISOString(),
      documentId: documents.get(m.id) ?? null,
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      title: t.title,
      customer: names.get(t.customer_id ?? '') ?? '',
    })),
  };
}

export default function FinanceOutbox() {
  const { staff, messages, tasks } = useLoaderData<typeof loader>();
  return (
    <main className="wide">
      <header className="bar">
        <p>
          Signed in as {staff.name} ({staff.role})
        </p>
        <Form method="post" action="/finance/logout">
          <button type="submit">Sign out</button>
        </Form>
      </header>
      <h1>Outbox</h1>
      <p>
        Every reminder the workflows have recorded. With no provider keys set, nothing leaves this machine.
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
              <td>{m.status}</td>
              <td>
                <details>
                  <summary>{m.subject ?? m.body.slice(0, 60)}</summary>
                  <pre>{m.body}</pre>
                </details>
                {m.documentId ? <a href={`/finance/documents/${m.documentId}`}>Letter (PDF)</a> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Open tasks</h2>
      <ul>
        {tasks.map((t) => (
          <li key={t.id}>
            {t.kind}: {t.title} {t.customer ? `— ${t.customer}` : ''}
          </li>
        ))}
      </ul>
    </main>
  );
}
