import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { getDebtorStatement, openDebtorDispute } from '@settle/core';
import { DebtorErrorBoundary } from '../components/portal/debtor-error-boundary';
import { DISPUTE_REASONS, reasonKey } from '../components/portal/labels';
import { CsrfField, FormErrors, PortalPage } from '../components/portal/portal-page';
import { db } from '../db.server';
import { formatters } from '../i18n/format';
import { translator } from '../i18n/messages';
import { type ActionFailure, debtorActionFailure, MAX_DISPUTE_BODY_BYTES } from '../lib/debtor-errors.server';
import { debtorHeaders } from '../lib/debtor-headers';
import { requireDebtor, requireDebtorAction } from '../lib/debtor-session.server';
import { temporal } from '../temporal.server';

export const headers = debtorHeaders;
export const ErrorBoundary = DebtorErrorBoundary;

export const meta: MetaFunction = () => [
  { title: 'Settle — dispute' },
  { name: 'robots', content: 'noindex' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const debtor = await requireDebtor(request);
  const statement = await getDebtorStatement(db, { ...debtor, now: new Date() });
  const url = new URL(request.url);
  return {
    locale: debtor.locale,
    csrf: debtor.csrfToken,
    supplier: statement.creditor.name,
    invoices: statement.openInvoices.filter((i) => i.status !== 'disputed' && i.status !== 'in_collections'),
    preselected: url.searchParams.get('invoice'),
    sent: url.searchParams.get('sent') === '1',
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const length = Number(request.headers.get('Content-Length') ?? '0');
  if (length > MAX_DISPUTE_BODY_BYTES) throw new Response('Payload too large', { status: 413 });
  const form = await request.formData();
  const debtor = await requireDebtorAction(request, form);
  const files = form.getAll('attachments').filter((v): v is File => typeof v !== 'string' && v.size > 0);
  try {
    await openDebtorDispute(
      { db, temporal },
      {
        organizationId: debtor.organizationId,
        customerId: debtor.customerId,
        dispute: {
          invoiceIds: form.getAll('invoiceIds').filter((v) => typeof v === 'string'),
          reason: form.get('reason'),
          message: form.get('message'),
        },
        attachments: await Promise.all(
          files.map(async (file) => ({
            filename: file.name,
            contentType: file.type,
            content: new Uint8Array(await file.arrayBuffer()),
          })),
        ),
      },
    );
    return redirect('/p/dispute?sent=1');
  } catch (error) {
    return debtorActionFailure(error);
  }
}

export default function Dispute() {
  const { locale, csrf, supplier, invoices, preselected, sent } = useLoaderData<typeof loader>();
  // `data()` answers are typed as a wrapper unless single-fetch types are declared app-wide.
  const failure = useActionData() as ActionFailure | undefined;
  const busy = useNavigation().state !== 'idle';
  const t = translator(locale);
  const f = formatters(locale);
  return (
    <PortalPage locale={locale} supplier={supplier} title={t('disputeTitle')}>
      {sent ? (
        <p role="status" className="portal-alert portal-alert-ok">
          {t('disputeSent')}
        </p>
      ) : null}
      {invoices.length === 0 ? (
        <p>{t('noOpenToChoose')}</p>
      ) : (
        <Form method="post" encType="multipart/form-data" className="card portal-form">
          <CsrfField token={csrf} />
          <p>{t('disputeIntro')}</p>
          <FormErrors failure={failure} t={t} />
          <fieldset>
            <legend>{t('chooseInvoices')}</legend>
            {invoices.map((invoice) => (
              <label key={invoice.id} className="choice">
                <input
                  type="checkbox"
                  name="invoiceIds"
                  value={invoice.id}
                  defaultChecked={invoice.id === preselected || invoices.length === 1}
                />
                {invoice.number} — {f.money(invoice.balanceMinor, invoice.currency)}
              </label>
            ))}
          </fieldset>
          <label htmlFor="reason">{t('reason')}</label>
          <select id="reason" name="reason" required defaultValue="">
            <option value="" disabled>
              {t('chooseReason')}
            </option>
            {DISPUTE_REASONS.map((reason) => (
              <option key={reason} value={reason}>
                {t(reasonKey(reason))}
              </option>
            ))}
          </select>
          <label htmlFor="message">{t('message')}</label>
          <textarea id="message" name="message" required maxLength={4000} rows={5} />
          <label htmlFor="attachments">{t('attachments')}</label>
          <input
            id="attachments"
            name="attachments"
            type="file"
            multiple
            accept="application/pdf,image/png,image/jpeg"
            aria-describedby="attachments-hint"
          />
          <p id="attachments-hint" className="hint">
            {t('attachmentsHint')}
          </p>
          <button type="submit" disabled={busy}>
            {t('sendDispute')}
          </button>
        </Form>
      )}
    </PortalPage>
  );
}
