import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData, useSearchParams } from '@remix-run/react';
import { createTemplate, listTemplatesForEditing, previewTemplate, type TemplatePreview } from '@settle/core';
import { CHANNELS, SUPPORTED_LOCALES, TEMPLATE_VARIABLES } from '@settle/domain';
import { useEffect, useRef, useState } from 'react';
import { ActionMessage, FieldError } from '../components/finance/action-message';
import { db } from '../db.server';
import { env } from '../env.server';
import {
  type ActionResult,
  actorOf,
  formString,
  requireFinance,
  runAction,
} from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Templates — Settle finance' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const url = new URL(request.url);
  const { templates, previewInvoices: invoices } = await listTemplatesForEditing(
    { db },
    { organizationId: staff.organizationId },
  );
  const key = url.searchParams.get('key');
  const channel = url.searchParams.get('channel');
  const locale = url.searchParams.get('locale');
  const selected =
    templates.find((t) => t.key === key && t.channel === channel && t.locale === locale) ?? null;
  return {
    canEdit: staff.role === 'admin',
    templates: templates.map((t) => ({
      key: t.key,
      channel: t.channel,
      locale: t.locale,
      subject: t.subject,
    })),
    invoices: invoices.map((i) => ({ id: i.id, label: `${i.number} — ${i.customer} (${i.locale})` })),
    selected: selected
      ? {
          key: selected.key,
          channel: selected.channel,
          locale: selected.locale,
          subject: selected.subject,
          body: selected.body,
        }
      : key && channel && locale
        ? { key, channel, locale, subject: '', body: '' }
        : null,
    channels: [...CHANNELS],
    locales: [...SUPPORTED_LOCALES],
    variables: TEMPLATE_VARIABLES.map((v) => ({ name: v.name, description: v.description })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  if (intent === 'preview') {
    // A preview writes nothing: every role may look.
    const staff = await requireFinance(request, 'view');
    const invoiceId = formString(form, 'invoiceId');
    if (!/^[0-9a-f-]{36}$/i.test(invoiceId)) {
      return {
        preview: {
          ok: false,
          errors: [{ field: 'body', message: 'choose an invoice to preview with' }],
        } as TemplatePreview,
      };
    }
    const preview = await previewTemplate(db, {
      organizationId: staff.organizationId,
      invoiceId,
      subject: formString(form, 'subject'),
      body: formString(form, 'body'),
      locale: formString(form, 'locale') || undefined,
      portalBaseUrl: env.PORTAL_BASE_URL,
    });
    return { preview };
  }
  const staff = await requireFinance(request, 'administer');
  return runAction('save', async () => {
    const saved = await createTemplate(
      { db },
      {
        actor: actorOf(staff),
        organizationId: staff.organizationId,
        key: formString(form, 'key').trim(),
        channel: formString(form, 'channel'),
        locale: formString(form, 'locale'),
        subject: formString(form, 'subject'),
        body: formString(form, 'body'),
      },
    );
    return `Template ${saved.key} (${saved.channel}, ${saved.locale}) saved. The next message sent with it uses the new text.`;
  });
}

function Preview({ preview }: { preview: TemplatePreview | undefined }) {
  if (!preview) return <p>Type to see the message rendered for the chosen invoice.</p>;
  if (!preview.ok) {
    return (
      <div role="alert">
        {preview.errors.map((e) => (
          <p key={`${e.field}-${e.message}`} className="fin-field-error">
            {e.field}: {e.message}
          </p>
        ))}
      </div>
    );
  }
  return (
    <section aria-label="Preview" data-testid="template-preview">
      <p>
        For invoice {preview.invoiceNumber}, in {preview.locale}:
      </p>
      {preview.subject ? (
        <p>
          <strong>Subject:</strong> {preview.subject}
        </p>
      ) : null}
      <pre>{preview.text}</pre>
    </section>
  );
}

export default function FinanceTemplates() {
  const { templates, invoices, selected, variables, canEdit, channels, locales } =
    useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const fetcher = useFetcher<{ preview: TemplatePreview }>();
  const [params] = useSearchParams();
  const formRef = useRef<HTMLFormElement>(null);
  const [invoiceId, setInvoiceId] = useState(invoices[0]?.id ?? '');
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const refresh = () => {
    if (!formRef.current) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const data = new FormData(formRef.current);
      data.set('intent', 'preview');
      data.set('invoiceId', invoiceId);
      fetcher.submit(data, { method: 'post' });
    }, 300);
  };
  // Render the stored template as soon as it is opened, and again when the invoice changes.
  useEffect(refresh, [invoiceId, params.toString()]);

  return (
    <>
      <h1>Templates</h1>
      <div className="fin-split">
        <nav aria-label="Templates" className="fin-card">
          <ul>
            {templates.map((t) => (
              <li key={`${t.key}-${t.channel}-${t.locale}`}>
                <Link to={`?key=${t.key}&channel=${t.channel}&locale=${t.locale}`}>
                  {t.key} · {t.channel} · {t.locale}
                </Link>
              </li>
            ))}
          </ul>
          {canEdit ? (
            <Form method="get" className="stack">
              <strong>New template or locale</strong>
              <input
                name="key"
                placeholder="key, e.g. first-reminder"
                aria-label="New template key"
                required
              />
              <select name="channel" aria-label="New template channel">
                {channels.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
              <select name="locale" aria-label="New template locale">
                {locales.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
              <button type="submit">Open</button>
            </Form>
          ) : null}
        </nav>
        {selected ? (
          <section className="fin-card" aria-labelledby="editor">
            <h2 id="editor">
              {selected.key} · {selected.channel} · {selected.locale}
            </h2>
            <ActionMessage result={result} />
            <Form
              method="post"
              ref={formRef}
              className="stack"
              onChange={refresh}
              key={`${selected.key}-${selected.channel}-${selected.locale}`}
            >
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="key" value={selected.key} />
              <input type="hidden" name="channel" value={selected.channel} />
              <input type="hidden" name="locale" value={selected.locale} />
              <label htmlFor="subject">Subject</label>
              <input
                id="subject"
                name="subject"
                defaultValue={selected.subject}
                aria-describedby="subject-error"
              />
              <FieldError result={result} field="subject" id="subject-error" />
              <label htmlFor="body">Body</label>
              <textarea
                id="body"
                name="body"
                defaultValue={selected.body}
                rows={14}
                aria-describedby="body-error"
              />
              <FieldError result={result} field="body" id="body-error" />
              <FieldError result={result} field="key" />
              {canEdit ? (
                <button type="submit">Save template</button>
              ) : (
                <p>Only an administrator saves templates.</p>
              )}
            </Form>
            <h3>Live preview</h3>
            <label>
              Preview with invoice{' '}
              <select value={invoiceId} onChange={(e) => setInvoiceId(e.currentTarget.value)}>
                {invoices.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.label}
                  </option>
                ))}
              </select>
            </label>
            <Preview preview={fetcher.data?.preview} />
            <details>
              <summary>Variables</summary>
              <ul>
                {variables.map((v) => (
                  <li key={v.name}>
                    <code>{`{{${v.name}}}`}</code> — {v.description}
                  </li>
                ))}
              </ul>
            </details>
          </section>
        ) : (
          <p>Choose a template to edit.</p>
        )}
      </div>
    </>
  );
}
