import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  AppError,
  getCustomerProfile,
  issueCustomerPortalLink,
  revokeCustomerPortalLink,
  updateCustomerCollections,
} from '@settle/core';
import { currencyDigits, toDecimalString } from '@settle/domain';
import { ActionMessage, FieldError } from '../components/finance/action-message';
import { db } from '../db.server';
import { env } from '../env.server';
import {
  type ActionResult,
  actorOf,
  financeDeps,
  formString,
  money,
  requireFinance,
  requireUuid,
  runAction,
} from '../lib/finance-access.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.customer.name ?? 'Customer'} — Settle finance` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const customerId = requireUuid(params.id);
  const profile = await getCustomerProfile({ db }, { organizationId: staff.organizationId, customerId });
  if (!profile) throw new Response('Customer not found', { status: 404 });
  const { customer, risk, invoices, links, policies } = profile;
  const now = Date.now();
  return {
    isAdmin: staff.role === 'admin',
    customer: {
      id: customer.id,
      code: customer.code,
      name: customer.name,
      contactName: customer.contact_name,
      email: customer.email,
      phone: customer.phone,
      address: [
        customer.address_line1,
        customer.address_line2,
        `${customer.postal_code ?? ''} ${customer.city ?? ''}`,
        customer.country,
      ]
        .filter((line) => Boolean(line?.trim()))
        .join(', '),
      locale: customer.locale,
      timeZone: customer.time_zone,
      vatNumber: customer.vat_number,
      segment: customer.segment ?? '',
      reminderPolicyId: customer.reminder_policy_id ?? '',
      emailOptOut: customer.email_opt_out,
      smsOptOut: customer.sms_opt_out,
      creditLimit:
        customer.credit_limit_minor !== null && customer.credit_limit_currency
          ? toDecimalString({
              amountMinor: customer.credit_limit_minor,
              currency: customer.credit_limit_currency,
            })
          : '',
      creditLimitCurrency: customer.credit_limit_currency ?? '',
    },
    risk,
    invoices: invoices.slice(0, 50).map((i) => ({
      id: i.id,
      number: i.number,
      status: i.status,
      dueDate: i.due_date,
      total: money(i.total_minor, i.currency),
      balance: money(i.total_minor - i.paid_minor, i.currency),
    })),
    links: links.map((l) => ({
      id: l.id,
      createdAt: l.created_at.toISOString(),
      expiresAt: l.expires_at.toISOString(),
      lastUsedAt: l.last_used_at?.toISOString() ?? null,
      state: l.revoked_at ? 'revoked' : l.expires_at.getTime() <= now ? 'expired' : 'live',
    })),
    policies: policies.map((p) => ({
      id: p.id,
      label: `${p.name}${p.is_default ? ' (default)' : ''}${p.segment ? ` — segment ${p.segment}` : ''}`,
    })),
  };
}

/** `12.50` in a currency to minor units, exactly (no floats); null for an empty field. */
function parseAmount(value: string, currency: string): number | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const digits = currency ? currencyDigits(currency) : 2;
  const match = /^(\d{1,13})(?:[.,](\d+))?$/.exec(trimmed);
  if (!match || (match[2]?.length ?? 0) > digits) {
    throw new AppError('VALIDATION', 'bad credit limit', {
      details: [
        { field: 'creditLimit.amountMinor', message: `expected an amount with at most ${digits} decimals` },
      ],
    });
  }
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireFinance(request, 'administer');
  const customerId = requireUuid(params.id);
  const form = await request.formData();
  const intent = formString(form, 'intent');
  return runAction(intent, async () => {
    switch (intent) {
      case 'settings': {
        const currency = formString(form, 'creditLimitCurrency').trim().toUpperCase();
        const amount = parseAmount(formString(form, 'creditLimit'), currency);
        const text = (name: string) => formString(form, name).trim() || null;
        await updateCustomerCollections(financeDeps(), {
          organizationId: staff.organizationId,
          customerId,
          actor: actorOf(staff),
          changes: {
            contactName: text('contactName'),
            email: text('email'),
            phone: text('phone'),
            creditLimit:
              amount === null && !currency ? null : { amountMinor: amount ?? Number.NaN, currency },
            emailOptOut: form.get('emailOptOut') === 'on',
            smsOptOut: form.get('smsOptOut') === 'on',
            reminderPolicyId: text('reminderPolicyId'),
            segment: text('segment'),
          },
        });
        return 'Saved. A new policy or segment applies from the next step of running reminders.';
      }
      case 'create-link': {
        const link = await issueCustomerPortalLink(db, {
          organizationId: staff.organizationId,
          customerId,
          baseUrl: env.PORTAL_BASE_URL,
          actor: actorOf(staff),
        });
        return {
          message: 'Portal link created. Copy it now: it is not shown again.',
          extra: { url: link.url },
        };
      }
      case 'revoke-link':
        await revokeCustomerPortalLink(db, {
          organizationId: staff.organizationId,
          linkId: formString(form, 'linkId'),
          actor: actorOf(staff),
        });
        return 'Link revoked.';
      default:
        throw new AppError('VALIDATION', `unknown intent ${intent}`, {
          details: [{ field: 'intent', message: 'unknown action' }],
        });
    }
  });
}

export default function FinanceCustomer() {
  const { customer, risk, invoices, links, policies, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const settings = result?.intent === 'settings' ? result : undefined;
  return (
    <>
      <h1>
        {customer.name} ({customer.code})
      </h1>
      <ActionMessage result={result} />
      {result?.ok && result.extra?.url ? (
        <p>
          <label>
            New portal link{' '}
            <input readOnly value={result.extra.url} size={70} onFocus={(e) => e.currentTarget.select()} />
          </label>
        </p>
      ) : null}
      <div className="fin-grid">
        <section className="fin-card" aria-labelledby="contacts">
          <h2 id="contacts">Contacts</h2>
          <p>
            {customer.contactName ?? ''}
            <br />
            E-mail: {customer.email ?? '–'}
            {customer.emailOptOut ? ' (opted out)' : ''}
            <br />
            Phone: {customer.phone ?? '–'}
            {customer.smsOptOut ? ' (SMS opted out)' : ''}
            <br />
            {customer.address}
            <br />
            VAT: {customer.vatNumber ?? '–'} · language {customer.locale} · {customer.timeZone}
          </p>
        </section>
        <section className="fin-card" aria-labelledby="risk">
          <h2 id="risk">
            Risk{' '}
            <span className="fin-badge" data-level={risk.level}>
              {risk.level}
            </span>
          </h2>
          <p>
            Average days to pay: {risk.averageDaysToPay ?? '–'} · average days late:{' '}
            {risk.averageDaysLate ?? '–'} · paid late:{' '}
            {risk.lateShare === null ? '–' : `${Math.round(risk.lateShare * 100)}%`}
            <br />
            Open disputes: {risk.openDisputes} · disputes in the last year: {risk.disputesLastYear}
          </p>
          {risk.paidInvoices.length > 0 ? (
            <details>
              <summary>Days-to-pay history ({risk.paidInvoices.length} paid invoices)</summary>
              <ul>
                {risk.paidInvoices.map((p) => (
                  <li key={p.number}>
                    {p.number}: issued {p.issueDate}, due {p.dueDate}, paid {p.paidOn} — {p.daysToPay} days
                    {p.daysLate > 0 ? `, ${p.daysLate} late` : ''}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
      </div>

      <h2>Contacts and collection settings</h2>
      {isAdmin ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="settings" />
          <div className="fin-inline">
            <label>
              Contact
              <input name="contactName" defaultValue={customer.contactName ?? ''} />
            </label>
            <label>
              E-mail
              <input name="email" type="email" defaultValue={customer.email ?? ''} />
            </label>
            <label>
              Phone (E.164)
              <input name="phone" defaultValue={customer.phone ?? ''} />
            </label>
          </div>
          <FieldError result={settings} field="contactName" />
          <FieldError result={settings} field="email" />
          <FieldError result={settings} field="phone" />
          <div className="fin-inline">
            <label>
              Credit limit
              <input name="creditLimit" defaultValue={customer.creditLimit} inputMode="decimal" />
            </label>
            <label>
              Currency
              <input name="creditLimitCurrency" defaultValue={customer.creditLimitCurrency} size={4} />
            </label>
          </div>
          <FieldError result={settings} field="creditLimit.amountMinor" />
          <FieldError result={settings} field="creditLimit.currency" />
          <FieldError result={settings} field="creditLimit" />
          <label>
            <input type="checkbox" name="emailOptOut" defaultChecked={customer.emailOptOut} /> Opted out of
            e-mail
          </label>
          <label>
            <input type="checkbox" name="smsOptOut" defaultChecked={customer.smsOptOut} /> Opted out of SMS
          </label>
          <label>
            Reminder policy
            <select name="reminderPolicyId" defaultValue={customer.reminderPolicyId}>
              <option value="">By segment, else the default</option>
              {policies.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <FieldError result={settings} field="reminderPolicyId" />
          <label>
            Segment
            <input name="segment" defaultValue={customer.segment} />
          </label>
          <FieldError result={settings} field="segment" />
          <button type="submit">Save settings</button>
        </Form>
      ) : (
        <p>An administrator changes contacts, credit limits, opt-outs and policies.</p>
      )}

      <h2>Portal links</h2>
      {isAdmin ? (
        <Form method="post">
          <input type="hidden" name="intent" value="create-link" />
          <button type="submit">Create a portal link</button>
        </Form>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="fin-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {links.map((l) => (
            <tr key={l.id}>
              <td>{l.createdAt.slice(0, 16).replace('T', ' ')}</td>
              <td>{l.expiresAt.slice(0, 10)}</td>
              <td>{l.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? '–'}</td>
              <td>{l.state}</td>
              <td>
                {isAdmin && l.state === 'live' ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke-link" />
                    <input type="hidden" name="linkId" value={l.id} />
                    <button type="submit" className="secondary">
                      Revoke
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Invoices</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col">Status</th>
            <th scope="col">Due</th>
            <th scope="col">Total</th>
            <th scope="col">Balance</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((i) => (
            <tr key={i.id}>
              <td>
                <Link to={`/finance/invoices/${i.id}`}>{i.number}</Link>
              </td>
              <td>{i.status}</td>
              <td>{i.dueDate}</td>
              <td>{i.total}</td>
              <td>{i.balance}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
