import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDebtorStatement } from '@settle/core';
import { DebtorErrorBoundary } from '../components/portal/debtor-error-boundary';
import { InvoiceStatus } from '../components/portal/invoice-status';
import { methodKey, paymentStatusKey, reasonKey } from '../components/portal/labels';
import { PortalPage } from '../components/portal/portal-page';
import { db } from '../db.server';
import { formatters } from '../i18n/format';
import { translator } from '../i18n/messages';
import { debtorHeaders } from '../lib/debtor-headers';
import { requireDebtor } from '../lib/debtor-session.server';

export const headers = debtorHeaders;
export const ErrorBoundary = DebtorErrorBoundary;

export const meta: MetaFunction = () => [
  { title: 'Settle — statement' },
  { name: 'robots', content: 'noindex' },
];

/** `/p`: the debtor's statement with its supplier, balance, open invoices, payments and disputes. */
export async function loader({ request }: LoaderFunctionArgs) {
  const debtor = await requireDebtor(request);
  const statement = await getDebtorStatement(db, { ...debtor, now: new Date() });
  return { locale: debtor.locale, statement };
}

export default function Statement() {
  const { locale, statement } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const f = formatters(locale);
  const { creditor } = statement;
  return (
    <PortalPage locale={locale} supplier={creditor.name} title={t('statementTitle')}>
      <p>{t('statementFor', { customer: statement.customer.name, code: statement.customer.code })}</p>

      <section aria-labelledby="totals" className="card">
        <h2 id="totals">{t('totals')}</h2>
        {statement.totals.length === 0 ? (
          <p>{t('nothingDue')}</p>
        ) : (
          <dl className="totals">
            {statement.totals.map((total) => (
              <div key={total.currency}>
                <dt>
                  {t('totalDue')} ({total.currency})
                </dt>
                <dd data-testid={`total-due-${total.currency}`}>{f.money(total.dueMinor, total.currency)}</dd>
                <dt>
                  {t('totalOverdue')} ({total.currency})
                </dt>
                <dd data-testid={`total-overdue-${total.currency}`}>
                  {f.money(total.overdueMinor, total.currency)}
                </dd>
              </div>
            ))}
          </dl>
        )}
        {statement.openInvoices.length > 0 ? (
          <p>
            <Link className="button" to="/p/pay">
              {t('payNow')}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="open-invoices" className="card">
        <h2 id="open-invoices">{t('openInvoices')}</h2>
        {statement.openInvoices.length === 0 ? (
          <p>{t('noOpenInvoices')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('invoiceNumber')}</th>
                  <th scope="col">{t('dueDate')}</th>
                  <th scope="col" className="num">
                    {t('daysOverdue')}
                  </th>
                  <th scope="col" className="num">
                    {t('balance')}
                  </th>
                  <th scope="col">{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {statement.openInvoices.map((invoice) => (
                  <tr key={invoice.id}>
                    <th scope="row">
                      <Link
                        to={`/p/invoices/${invoice.id}`}
                        aria-label={t('view', { number: invoice.number })}
                      >
                        {invoice.number}
                      </Link>
                    </th>
                    <td>{f.date(invoice.dueDate)}</td>
                    <td className="num">{invoice.daysOverdue}</td>
                    <td className="num">{f.money(invoice.balanceMinor, invoice.currency)}</td>
                    <td>
                      <InvoiceStatus
                        status={invoice.status}
                        promisedDate={invoice.promisedDate ? f.date(invoice.promisedDate) : null}
                        t={t}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="payments" className="card">
        <h2 id="payments">{t('recentPayments')}</h2>
        {statement.recentPayments.length === 0 ? (
          <p>{t('noPayments')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('date')}</th>
                  <th scope="col">{t('forInvoices')}</th>
                  <th scope="col">{t('method')}</th>
                  <th scope="col" className="num">
                    {t('amount')}
                  </th>
                  <th scope="col">{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {statement.recentPayments.map((payment) => (
                  <tr key={payment.id}>
                    <td>{f.dateTime(payment.receivedAt)}</td>
                    <td>{payment.invoiceNumbers.join(', ')}</td>
                    <td>{t(methodKey(payment.method))}</td>
                    <td className="num">{f.money(payment.amountMinor, payment.currency)}</td>
                    <td>{t(paymentStatusKey(payment.status))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {statement.disputes.length > 0 ? (
        <section aria-labelledby="disputes" className="card">
          <h2 id="disputes">{t('yourDisputes')}</h2>
          <ul className="plain-list">
            {statement.disputes.map((dispute) => (
              <li key={dispute.id} data-testid="dispute">
                <p>
                  <strong>{dispute.invoiceNumber}</strong> — {t(reasonKey(dispute.reason))} —{' '}
                  <span className={`badge badge-dispute-${dispute.status}`}>
                    {t(`dispute.${dispute.status}`)}
                  </span>
                </p>
                <blockquote>{dispute.message}</blockquote>
                {dispute.resolutionNote ? (
                  <p>
                    <strong>{t('financeAnswer', { supplier: creditor.name })}:</strong>{' '}
                    {dispute.resolutionNote}
                  </p>
                ) : dispute.status === 'open' ? (
                  <p>{t('awaitingAnswer')}</p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="supplier" className="card">
        <h2 id="supplier">{t('yourSupplier')}</h2>
        <address>
          <strong>{creditor.legalName}</strong>
          {creditor.addressLines.map((line) => (
            <span key={line}>
              <br />
              {line}
            </span>
          ))}
        </address>
        <dl className="facts">
          {creditor.vatNumber ? (
            <>
              <dt>{t('vatNumber')}</dt>
              <dd>{creditor.vatNumber}</dd>
            </>
          ) : null}
          {creditor.registrationNumber ? (
            <>
              <dt>{t('registrationNumber')}</dt>
              <dd>{creditor.registrationNumber}</dd>
            </>
          ) : null}
          <dt>{t('contact')}</dt>
          <dd>
            <a href={`mailto:${creditor.email}`}>{creditor.email}</a>
            {creditor.phone ? ` · ${creditor.phone}` : null}
          </dd>
        </dl>
        {creditor.bank.iban ? (
          <>
            <h3>{t('bankDetails')}</h3>
            <dl className="facts" data-testid="bank-details">
              <dt>{t('accountHolder')}</dt>
              <dd>{creditor.bank.holder ?? creditor.legalName}</dd>
              <dt>{t('iban')}</dt>
              <dd className="mono">{creditor.bank.iban}</dd>
              {creditor.bank.bic ? (
                <>
                  <dt>{t('bic')}</dt>
                  <dd className="mono">{creditor.bank.bic}</dd>
                </>
              ) : null}
              {creditor.bank.name ? (
                <>
                  <dt>{t('bankName')}</dt>
                  <dd>{creditor.bank.name}</dd>
                </>
              ) : null}
            </dl>
            <p>{t('transferReference')}</p>
          </>
        ) : null}
      </section>
    </PortalPage>
  );
}
