import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { getDebtorStatement, promiseDebtorPayment } from '@settle/core';
import { DebtorErrorBoundary } from '../components/portal/debtor-error-boundary';
import { CsrfField, FormErrors, PortalPage } from '../components/portal/portal-page';
import { db } from '../db.server';
import { formatters } from '../i18n/format';
import { translator } from '../i18n/messages';
import { type ActionFailure, debtorActionFailure } from '../lib/debtor-errors.server';
import { debtorHeaders } from '../lib/debtor-headers';
import { requireDebtor, requireDebtorAction } from '../lib/debtor-session.server';
import { temporal } from '../temporal.server';

export const headers = debtorHeaders;
export const ErrorBoundary = DebtorErrorBoundary;

export const meta: MetaFunction = () => [
  { title: 'Settle — promise to pay' },
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
    invoices: statement.openInvoices.filter(
      (i) => i.status !== 'disputed' && i.status !== 'payment_pending' && i.status !== 'in_collections',
    ),
    today: statement.today,
    maxDate: statement.maxPromiseDate,
    maxDays: statement.maxPromiseDays,
    preselected: url.searchParams.get('invoice'),
    sentDate: url.searchParams.get('sent'),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const debtor = await requireDebtorAction(request, form);
  const date = form.get('date');
  try {
    await promiseDebtorPayment(
      { db, temporal },
      {
        organizationId: debtor.organizationId,
        customerId: debtor.customerId,
        promise: {
          invoiceIds: form.getAll('invoiceIds').filter((v) => typeof v === 'string'),
          date,
          note: form.get('note') || undefined,
        },
      },
    );
    return redirect(`/p/promise?sent=${encodeURIComponent(String(date))}`);
  } catch (error) {
    return debtorActionFailure(error);
  }
}

export default function PromiseToPay() {
  const { locale, csrf, supplier, invoices, today, maxDate, maxDays, preselected, sentDate } =
    useLoaderData<typeof loader>();
  // `data()` answers are typed as a wrapper unless single-fetch types are declared app-wide.
  const failure = useActionData() as ActionFailure | undefined;
  const busy = useNavigation().state !== 'idle';
  const t = translator(locale);
  const f = formatters(locale);
  const sentLabel = sentDate && /^\d{4}-\d{2}-\d{2}$/.test(sentDate) ? f.date(sentDate) : null;
  return (
    <PortalPage locale={locale} supplier={supplier} title={t('promiseTitle')}>
      {sentLabel ? (
        <p role="status" className="portal-alert portal-alert-ok">
          {t('promiseSent', { date: sentLabel })}
        </p>
      ) : null}
      {invoices.length === 0 ? (
        <p>{t('noOpenToChoose')}</p>
      ) : (
        <Form method="post" className="card portal-form">
          <CsrfField token={csrf} />
          <p>{t('promiseIntro', { days: maxDays })}</p>
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
                {invoice.number} — {f.money(invoice.balanceMinor, invoice.currency)} — {t('dueDate')}{' '}
                {f.date(invoice.dueDate)}
              </label>
            ))}
          </fieldset>
          <label htmlFor="date">{t('promiseDate')}</label>
          <input
            id="date"
            name="date"
            type="date"
            required
            min={today}
            max={maxDate}
            aria-describedby="date-hint"
          />
          <p id="date-hint" className="hint">
            {t('promiseDateHint', { from: f.date(today), to: f.date(maxDate) })}
          </p>
          <label htmlFor="note">{t('note')}</label>
          <textarea id="note" name="note" maxLength={1000} rows={3} />
          <button type="submit" disabled={busy}>
            {t('sendPromise')}
          </button>
        </Form>
      )}
    </PortalPage>
  );
}
