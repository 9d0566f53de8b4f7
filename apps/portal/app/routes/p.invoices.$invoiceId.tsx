import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDebtorInvoice } from '@settle/core';
import type { StatutoryLateCharges } from '@settle/domain';
import { DebtorErrorBoundary } from '../components/portal/debtor-error-boundary';
import { InvoiceStatus } from '../components/portal/invoice-status';
import { channelKey, methodKey, paymentStatusKey, reasonKey } from '../components/portal/labels';
import { PortalPage } from '../components/portal/portal-page';
import { db } from '../db.server';
import { formatters } from '../i18n/format';
import type { SupportedLocale } from '../i18n/locales';
import { translator } from '../i18n/messages';
import { notFoundIn } from '../lib/debtor-errors.server';
import { debtorHeaders } from '../lib/debtor-headers';
import { requireDebtor } from '../lib/debtor-session.server';

export const headers = debtorHeaders;
export const ErrorBoundary = DebtorErrorBoundary;

export const meta: MetaFunction = () => [
  { title: 'Settle — invoice' },
  { name: 'robots', content: 'noindex' },
];

/** `/p/invoices/<id>`: one of the debtor's invoices; another customer's id is a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const debtor = await requireDebtor(request);
  const invoice = await getDebtorInvoice(db, {
    ...debtor,
    invoiceId: params.invoiceId ?? '',
    now: new Date(),
  }).catch(notFoundIn(debtor.locale));
  return { locale: debtor.locale, invoice };
}

/** The statutory charges of an overdue invoice and how they were computed, for the debtor to check. */
function LateChargesCard({
  charges,
  supplier,
  locale,
}: {
  charges: StatutoryLateCharges;
  supplier: string;
  locale: SupportedLocale;
}) {
  const t = translator(locale);
  const f = formatters(locale);
  const money = (value: { amountMinor: number; currency: string }) =>
    f.money(value.amountMinor, value.currency);
  const fixed = (value: number, digits: number) =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
      value,
    );
  const percent = (basisPoints: number) => `${fixed(basisPoints / 100, 2)} %`;
  const reference = t(`lateCharges.reference.${charges.referenceRate}`);
  const basis = charges.compensationBasis;
  const compensation = charges.compensation
    ? basis?.exchangeRate
      ? t('lateChargesConverted', {
          statutory: money(basis.statutory),
          date: f.date(basis.exchangeRate.date),
          rate: fixed(basis.exchangeRate.basisPoints / 10_000, 4),
          amount: money(charges.compensation),
        })
      : money(charges.compensation)
    : charges.compensationMissing === 'exchange_rate'
      ? t('lateChargesNoExchangeRate')
      : t('lateChargesNoCompensation', { currency: charges.principal.currency });
  const total = charges.interest.amountMinor + (charges.compensation?.amountMinor ?? 0);
  return (
    <section className="card" aria-labelledby="late-charges" data-testid="late-charges">
      <h2 id="late-charges">{t('lateChargesTitle')}</h2>
      <p>
        {t('lateChargesIntro', {
          rule: t(`lateCharges.rule.${charges.rule}`),
          supplier,
          date: f.date(charges.asOf),
        })}
      </p>
      <dl className="facts">
        <dt>{t('lateChargesBasis')}</dt>
        <dd>
          {t('lateChargesRate', {
            reference,
            margin: fixed(charges.marginBasisPoints / 100, 0),
            balance: money(charges.principal),
          })}
        </dd>
        <dt>{t('daysOverdue')}</dt>
        <dd>{charges.daysLate}</dd>
        <dt>{t('lateChargesInterest')}</dt>
        <dd>{money(charges.interest)}</dd>
        <dt>{t('lateChargesCompensation')}</dt>
        <dd>{compensation}</dd>
        <dt>{t('lateChargesTotal')}</dt>
        <dd>
          <strong>{f.money(total, charges.interest.currency)}</strong>
        </dd>
      </dl>
      <h3>{t('lateChargesCalculation')}</h3>
      <ul className="plain-list" data-testid="late-charges-periods">
        {charges.periods.map((period) => (
          <li key={period.from}>
            {t('lateChargesPeriod', {
              from: f.date(period.from),
              to: f.date(period.to),
              reference: percent(period.referenceRateBasisPoints),
              margin: percent(charges.marginBasisPoints),
              days: period.days,
              interest: money(period.interest),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function InvoicePage() {
  const { locale, invoice: data } = useLoaderData<typeof loader>();
  const t = translator(locale);
  const f = formatters(locale);
  const { invoice, creditor } = data;
  const money = (minor: number) => f.money(minor, invoice.currency);
  return (
    <PortalPage
      locale={locale}
      supplier={creditor.name}
      title={t('invoiceTitle', { number: invoice.number })}
    >
      <p>
        <Link to="/p">{t('backToStatement')}</Link>
      </p>
      <section className="card" aria-labelledby="summary">
        <h2 id="summary" className="visually-hidden">
          {t('invoiceTitle', { number: invoice.number })}
        </h2>
        <dl className="facts">
          <dt>{t('status')}</dt>
          <dd data-testid="invoice-status">
            <InvoiceStatus
              status={invoice.status}
              promisedDate={invoice.promisedDate ? f.date(invoice.promisedDate) : null}
              t={t}
            />
          </dd>
          <dt>{t('issueDate')}</dt>
          <dd>{f.date(invoice.issueDate)}</dd>
          <dt>{t('dueDate')}</dt>
          <dd>{f.date(invoice.dueDate)}</dd>
          {invoice.daysOverdue > 0 ? (
            <>
              <dt>{t('daysOverdue')}</dt>
              <dd>{invoice.daysOverdue}</dd>
            </>
          ) : null}
          <dt>{t('total')}</dt>
          <dd>{money(invoice.totalMinor)}</dd>
          <dt>{t('paid')}</dt>
          <dd>{money(invoice.paidMinor)}</dd>
          <dt>{t('balance')}</dt>
          <dd>
            <strong>{money(invoice.balanceMinor)}</strong>
          </dd>
        </dl>
        <p className="actions">
          <a href={`/p/invoices/${invoice.id}.pdf`} download>
            {t('downloadPdf')}
          </a>
          {invoice.isOpen ? (
            <>
              <Link className="button" to={`/p/pay?invoice=${invoice.id}`}>
                {t('payThis')}
              </Link>
              <Link to={`/p/dispute?invoice=${invoice.id}`}>{t('disputeThis')}</Link>
              <Link to={`/p/promise?invoice=${invoice.id}`}>{t('promiseThis')}</Link>
            </>
          ) : null}
        </p>
      </section>

      {data.lateCharges && data.lateCharges.daysLate > 0 ? (
        <LateChargesCard charges={data.lateCharges} supplier={creditor.name} locale={locale} />
      ) : null}

      <section className="card" aria-labelledby="lines">
        <h2 id="lines">{t('lines')}</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('description')}</th>
                <th scope="col" className="num">
                  {t('quantity')}
                </th>
                <th scope="col" className="num">
                  {t('unitPrice')}
                </th>
                <th scope="col" className="num">
                  {t('tax')}
                </th>
                <th scope="col" className="num">
                  {t('lineTotal')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.lines.map((line) => (
                <tr key={line.position}>
                  <td>{line.description}</td>
                  <td className="num">{f.number(line.quantityMilli / 1000)}</td>
                  <td className="num">{money(line.unitPriceMinor)}</td>
                  <td className="num">{f.number(line.taxRateBasisPoints / 100)} %</td>
                  <td className="num">{money(line.totalMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="invoice-payments">
        <h2 id="invoice-payments">{t('payments')}</h2>
        {data.payments.length === 0 ? (
          <p>{t('noPayments')}</p>
        ) : (
          <ul className="plain-list">
            {data.payments.map((payment) => (
              <li key={payment.id}>
                {f.dateTime(payment.receivedAt)} — {t(methodKey(payment.method))} —{' '}
                {money(payment.amountMinor)} — {t(paymentStatusKey(payment.status))}
              </li>
            ))}
          </ul>
        )}
      </section>

      {data.disputes.length > 0 ? (
        <section className="card" aria-labelledby="invoice-disputes">
          <h2 id="invoice-disputes">{t('disputes')}</h2>
          <ul className="plain-list">
            {data.disputes.map((dispute) => (
              <li key={dispute.id} data-testid="dispute">
                <p>
                  {f.dateTime(dispute.openedAt)} — {t(reasonKey(dispute.reason))} —{' '}
                  <span className={`badge badge-dispute-${dispute.status}`}>
                    {t(`dispute.${dispute.status}`)}
                  </span>
                </p>
                <blockquote>{dispute.message}</blockquote>
                {dispute.attachments.length > 0 ? (
                  <p>{dispute.attachments.map((a) => a.filename).join(', ')}</p>
                ) : null}
                {dispute.resolutionNote ? (
                  <p>
                    <strong>{t('financeAnswer', { supplier: creditor.name })}:</strong>{' '}
                    {dispute.resolutionNote}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="timeline">
        <h2 id="timeline">{t('messagesSent')}</h2>
        {data.timeline.length === 0 ? (
          <p>{t('noMessages')}</p>
        ) : (
          <ol className="plain-list timeline">
            {data.timeline.map((message) => (
              <li key={message.id}>
                <time dateTime={new Date(message.sentAt).toISOString()}>{f.dateTime(message.sentAt)}</time> —{' '}
                {t(channelKey(message.channel))}
                {message.subject ? `: ${message.subject}` : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </PortalPage>
  );
}
