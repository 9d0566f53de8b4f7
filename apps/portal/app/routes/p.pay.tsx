import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { getDebtorStatement, startDebtorPayment } from '@settle/core';
import { DebtorErrorBoundary } from '../components/portal/debtor-error-boundary';
import { CsrfField, FormErrors, PortalPage } from '../components/portal/portal-page';
import { db } from '../db.server';
import { env } from '../env.server';
import { formatters } from '../i18n/format';
import { translator } from '../i18n/messages';
import { type ActionFailure, debtorActionFailure } from '../lib/debtor-errors.server';
import { debtorHeaders } from '../lib/debtor-headers';
import { requireDebtor, requireDebtorAction } from '../lib/debtor-session.server';
import { startConfiguredPayment } from '../payments.server';

export const headers = debtorHeaders;
export const ErrorBoundary = DebtorErrorBoundary;

export const meta: MetaFunction = () => [{ title: 'Settle — pay' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const debtor = await requireDebtor(request);
  const statement = await getDebtorStatement(db, { ...debtor, now: new Date() });
  const preselected = new URL(request.url).searchParams.get('invoice');
  const invoices = statement.openInvoices.filter((i) => i.isPayable);
  // "The whole overdue balance" is what that choice pays: the overdue invoices offered here.
  const overdue = new Map<string, number>();
  for (const i of invoices.filter((i) => i.daysOverdue > 0)) {
    overdue.set(i.currency, (overdue.get(i.currency) ?? 0) + i.balanceMinor);
  }
  return {
    locale: debtor.locale,
    csrf: debtor.csrfToken,
    supplier: statement.creditor.name,
    invoices,
    overdue: [...overdue].map(([currency, overdueMinor]) => ({ currency, overdueMinor })),
    preselected,
  };
}

/** Starts the payment and sends the browser to the provider (or the local test checkout). */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const debtor = await requireDebtorAction(request, form);
  try {
    const { redirectUrl } = await startDebtorPayment(
      { db, portalBaseUrl: env.PORTAL_BASE_URL, startPayment: startConfiguredPayment },
      {
        organizationId: debtor.organizationId,
        customerId: debtor.customerId,
        payment: {
          scope: form.get('scope'),
          invoiceIds: form.getAll('invoiceIds').filter((v) => typeof v === 'string'),
          method: form.get('method'),
        },
      },
    );
    return redirect(redirectUrl);
  } catch (error) {
    return debtorActionFailure(error);
  }
}

export default function Pay() {
  const { locale, csrf, supplier, invoices, overdue, preselected } = useLoaderData<typeof loader>();
  // `data()` answers are typed as a wrapper unless single-fetch types are declared app-wide.
  const failure = useActionData() as ActionFailure | undefined;
  const busy = useNavigation().state !== 'idle';
  const t = translator(locale);
  const f = formatters(locale);
  const overdueLabel = overdue.map((total) => f.money(total.overdueMinor, total.currency)).join(' + ');
  return (
    <PortalPage locale={locale} supplier={supplier} title={t('payTitle')}>
      {invoices.length === 0 ? (
        <p>{t('nothingToPay')}</p>
      ) : (
        <Form method="post" className="card portal-form">
          <CsrfField token={csrf} />
          <p>{t('payIntro')}</p>
          <FormErrors failure={failure} t={t} />
          <fieldset>
            <legend>{t('payWhat')}</legend>
            {overdue.length > 0 ? (
              <label className="choice">
                <input type="radio" name="scope" value="overdue" defaultChecked={!preselected} />
                {t('payOverdue', { amount: overdueLabel })}
              </label>
            ) : null}
            <label className="choice">
              <input
                type="radio"
                name="scope"
                value="invoices"
                defaultChecked={Boolean(preselected) || overdue.length === 0}
              />
              {t('paySelected')}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('chooseInvoices')}</legend>
            {invoices.map((invoice) => (
              <label key={invoice.id} className="choice">
                <input
                  type="checkbox"
                  name="invoiceIds"
                  value={invoice.id}
                  defaultChecked={invoice.id === preselected}
                />
                {invoice.number} — {f.money(invoice.balanceMinor, invoice.currency)} — {t('dueDate')}{' '}
                {f.date(invoice.dueDate)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('payHow')}</legend>
            <label className="choice">
              <input type="radio" name="method" value="card" defaultChecked />
              {t('payCard')}
            </label>
            <label className="choice">
              <input type="radio" name="method" value="direct_debit" />
              {t('payDirectDebit')}
            </label>
          </fieldset>
          <button type="submit" disabled={busy}>
            {t('continueToPayment')}
          </button>
        </Form>
      )}
    </PortalPage>
  );
}
