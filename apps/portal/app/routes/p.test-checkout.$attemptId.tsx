import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { completeLocalCheckout, getLocalAttempt, type LocalCheckoutAction } from '@settle/payments';
import { db } from '../db.server';
import { formatters } from '../i18n/format';
import { type ActionFailure, debtorActionFailure, notFoundAsResponse } from '../lib/debtor-errors.server';
import { requireDebtor, requireDebtorAction } from '../lib/debtor-session.server';
import { isLocalCheckoutEnabled, localCheckoutDeps } from '../payments.server';

/**
 * The local test checkout: stands in for Stripe Checkout and the GoCardless flow when they have no
 * keys. Nothing here touches money; completing it delivers a signed, provider-shaped webhook to the API,
 * so what happens next is exactly what happens in production.
 */

export const meta: MetaFunction = () => [
  { title: 'Settle — TEST checkout' },
  { name: 'robots', content: 'noindex' },
];

const ACTIONS: Record<'checkout_session' | 'billing_request', LocalCheckoutAction[]> = {
  checkout_session: ['pay'],
  billing_request: ['authorise', 'confirm', 'fail'],
};

const LABELS: Record<LocalCheckoutAction, string> = {
  pay: 'Pay with the test card',
  authorise: 'Authorise the test mandate (payment submitted)',
  confirm: 'Simulate: the bank confirms the collection',
  fail: 'Simulate: the collection fails',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isLocalCheckoutEnabled) throw new Response('Not found', { status: 404 });
  const debtor = await requireDebtor(request);
  const attempt = await getLocalAttempt(db, { ...debtor, attemptId: params.attemptId ?? '' }).catch(
    notFoundAsResponse,
  );
  const invoices = await db
    .selectFrom('invoices')
    .select(['number'])
    .where('organization_id', '=', debtor.organizationId)
    .where('id', 'in', attempt.invoiceIds)
    .orderBy('number')
    .execute();
  return {
    csrf: debtor.csrfToken,
    locale: debtor.locale,
    attempt: {
      id: attempt.id,
      kind: attempt.kind,
      status: attempt.status,
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
    },
    invoiceNumbers: invoices.map((i) => i.number),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (!isLocalCheckoutEnabled) throw new Response('Not found', { status: 404 });
  const form = await request.formData();
  const debtor = await requireDebtorAction(request, form);
  const chosen = form.get('action');
  const attemptId = params.attemptId ?? '';
  if (chosen !== 'pay' && chosen !== 'authorise' && chosen !== 'confirm' && chosen !== 'fail') {
    throw new Response('Unknown test checkout action', { status: 400 });
  }
  try {
    await completeLocalCheckout(localCheckoutDeps, { ...debtor, attemptId, action: chosen });
  } catch (error) {
    return debtorActionFailure(error);
  }
  return redirect(`/p/payments/${attemptId}`);
}

export default function TestCheckout() {
  const { csrf, locale, attempt, invoiceNumbers } = useLoaderData<typeof loader>();
  const failure = useActionData() as ActionFailure | undefined;
  const busy = useNavigation().state !== 'idle';
  const f = formatters(locale);
  return (
    <main id="content" className="portal-main test-checkout" lang="en">
      <p
        className="test-banner"
        role="note"
        style={{
          background: '#fff3cd',
          color: '#3d2a00',
          border: '3px solid #8a6100',
          padding: '0.75rem',
          borderRadius: '6px',
        }}
      >
        <strong>TEST MODE</strong> — no real payment. This page stands in for{' '}
        {attempt.kind === 'checkout_session' ? 'Stripe Checkout' : 'the GoCardless direct-debit flow'} because
        no provider keys are configured.
      </p>
      <h1>{attempt.kind === 'checkout_session' ? 'Test card payment' : 'Test direct debit'}</h1>
      <dl>
        <dt>Amount</dt>
        <dd>{f.money(attempt.amountMinor, attempt.currency)}</dd>
        <dt>Invoices</dt>
        <dd>{invoiceNumbers.join(', ')}</dd>
      </dl>
      {failure ? (
        <p role="alert" className="form-error">
          {failure.message}
        </p>
      ) : null}
      <Form method="post" className="card portal-form">
        <input type="hidden" name="csrf" value={csrf} />
        {ACTIONS[attempt.kind].map((value) => (
          <button key={value} type="submit" name="action" value={value} disabled={busy}>
            {LABELS[value]}
          </button>
        ))}
      </Form>
      <p>
        <a href="/p/pay">Cancel and go back</a>
      </p>
    </main>
  );
}
