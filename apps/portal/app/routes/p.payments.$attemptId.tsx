import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator } from '@remix-run/react';
import { getDebtorPaymentAttempt } from '@settle/core';
import { useEffect } from 'react';
import { DebtorErrorBoundary } from '../components/portal/debtor-error-boundary';
import { PortalPage } from '../components/portal/portal-page';
import { db } from '../db.server';
import { formatters } from '../i18n/format';
import { translator } from '../i18n/messages';
import { notFoundIn } from '../lib/debtor-errors.server';
import { debtorHeaders } from '../lib/debtor-headers';
import { requireDebtor } from '../lib/debtor-session.server';

export const headers = debtorHeaders;
export const ErrorBoundary = DebtorErrorBoundary;

export const meta: MetaFunction = () => [
  { title: 'Settle — payment' },
  { name: 'robots', content: 'noindex' },
];

/** `/p/payments/<attemptId>`: where the provider sends the debtor back; shows the payment as it lands. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const debtor = await requireDebtor(request);
  const attempt = await getDebtorPaymentAttempt(db, { ...debtor, attemptId: params.attemptId ?? '' }).catch(
    notFoundIn(debtor.locale),
  );
  return { locale: debtor.locale, attempt };
}

export default function PaymentReturn() {
  const { locale, attempt } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const t = translator(locale);
  const f = formatters(locale);
  // The webhook usually lands within a second or two: ask again every 2 s until nothing can change.
  useEffect(() => {
    if (attempt.isSettled) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [attempt.isSettled, revalidator]);

  const allPaid = attempt.invoices.length > 0 && attempt.invoices.every((i) => i.status === 'paid');
  const message =
    attempt.status === 'failed'
      ? t('paymentFailed')
      : attempt.status === 'expired'
        ? t('paymentExpired')
        : allPaid
          ? t('paymentReceived')
          : attempt.status === 'completed'
            ? t('paymentProcessing')
            : t('paymentWaiting');
  return (
    <PortalPage locale={locale} title={t('paymentTitle')}>
      <section className="card" aria-labelledby="receipt">
        <p role="status" aria-live="polite" data-testid="payment-message">
          {message}
        </p>
        <h2 id="receipt">{t('receipt')}</h2>
        <dl className="facts">
          <dt>{t('amount')}</dt>
          <dd>{f.money(attempt.amountMinor, attempt.currency)}</dd>
          <dt>{t('date')}</dt>
          <dd>{f.dateTime(attempt.updatedAt)}</dd>
          <dt>{t('reference')}</dt>
          <dd className="mono">{attempt.reference}</dd>
        </dl>
        <ul className="plain-list">
          {attempt.invoices.map((invoice) => (
            <li key={invoice.id} data-testid="attempt-invoice">
              <Link to={`/p/invoices/${invoice.id}`}>{invoice.number}</Link> —{' '}
              <span className={`badge badge-${invoice.status}`}>{t(`attemptInvoice.${invoice.status}`)}</span>
            </li>
          ))}
        </ul>
        {attempt.status === 'failed' || attempt.status === 'expired' ? (
          <p>
            <Link to="/p/pay">{t('tryAgain')}</Link>
          </p>
        ) : null}
        <p>
          <Link to="/p">{t('backToStatement')}</Link>
        </p>
      </section>
    </PortalPage>
  );
}
