import { createApiKey, installDefaultReminders } from '@settle/core';
import { type Db, insertOrganization } from '@settle/db';
import { addDays, DEFAULT_POLICY, localDateOf, type PolicyStep, type ReminderPolicy } from '@settle/domain';
import { signGoCardlessPayload, signStripePayload, startPayment } from '@settle/payments';
import type { Random } from './random';

/**
 * What the suite does to Settle, decided up front from the seed: a creditor whose policy sends an
 * e-mail and an SMS on the issue day (sending at any hour, every day, like the demo) with the window
 * opened so that the invoices' reminders fall due over the run's first minutes (each invoice's minute is
 * the product's own spread over the window's first 30 minutes: those already past go out at once);
 * customers and invoices fed through the import API as an ERP would; and, for part of the invoices, a
 * payment flow of signed Stripe or GoCardless events with the end state each flow must leave.
 */

export const ORGANIZATION_SLUG = 'chaos';
export const STEP_KEYS = { email: 'chaos-issue-email', sms: 'chaos-issue-sms' } as const;

/**
 * The payment flows, each a list of provider events for one invoice, and what the books must show
 * once every event was applied, whatever the order and however often each was delivered.
 */
export type FlowKind =
  | 'stripe_paid'
  | 'stripe_partial'
  | 'stripe_overpaid'
  | 'stripe_refunded'
  | 'stripe_partly_refunded'
  | 'stripe_overpaid_refunded_twice'
  | 'gocardless_paid_out'
  | 'gocardless_failed'
  | 'gocardless_charged_back'
  | 'gocardless_pending';

/** Relative frequency of each flow among the invoices that get one. */
const FLOW_WEIGHTS: [FlowKind, number][] = [
  ['stripe_paid', 18],
  ['stripe_partial', 9],
  ['stripe_overpaid', 6],
  ['stripe_refunded', 8],
  ['stripe_partly_refunded', 6],
  ['stripe_overpaid_refunded_twice', 6],
  ['gocardless_paid_out', 16],
  ['gocardless_failed', 9],
  ['gocardless_charged_back', 9],
  ['gocardless_pending', 5],
];

export interface ChaosCustomer {
  code: string;
  name: string;
  email: string;
  phone: string;
}

export interface ChaosInvoice {
  number: string;
  customerCode: string;
  totalMinor: number;
  flow: FlowKind | null;
  /** Filled once imported. */
  id?: string;
  customerId?: string;
}

export interface ProviderEventPlan {
  provider: 'stripe' | 'gocardless';
  eventId: string;
  invoiceNumber: string;
  /** `checkout.session.completed`, `payments.confirmed`… */
  type: string;
  /** Builds the raw body once the invoice's payment attempt exists. */
  body(attemptId: string): string;
  /** How many times the provider delivers it (1–3). */
  deliveries: number;
  /** Milliseconds after the invoice's import at which the first delivery is due. */
  offsetMs: number;
}

export interface Expected {
  paidMinor: number;
  status: 'open' | 'paid';
  paymentPending: boolean;
  /** Customer credit this invoice's flow leaves behind. */
  creditMinor: number;
}

export interface Scenario {
  timeZone: string;
  today: string;
  policy: ReminderPolicy;
  customers: ChaosCustomer[];
  invoices: ChaosInvoice[];
  events: ProviderEventPlan[];
  expected: Map<string, Expected>;
}

/**
 * A fixed-offset zone in which it is early morning now, so a window opened minutes ago and closing at
 * 23:00 stays open for the whole run, on the same local day.
 */
function morningZone(now: number): string {
  const utcHour = new Date(now).getUTCHours();
  // Etc/GMT-N is UTC+N (POSIX sign). Aim at 08:00 local.
  let offset = 8 - utcHour;
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function hhmm(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(ms))
    .slice(0, 5);
}

const step = (
  key: string,
  channel: PolicyStep['channel'],
  templateKey: string,
  anchor: PolicyStep['anchor'] = 'issue_date',
): PolicyStep => ({
  key,
  anchor,
  offsetDays: 0,
  channel,
  templateKey,
  escalation: 'courteous',
  minBalanceMinor: 0,
  onlyWhenOverdue: false,
  onlyIfUnpaidSincePrevious: false,
});

export function planScenario(options: {
  random: Random;
  invoices: number;
  customers: number;
  /** Minutes from now until the last invoices' reminders are due (the rest are due at once). */
  reminderLeadMinutes: number;
  /** Milliseconds after an invoice's import within which its payment flow starts. */
  eventSpreadMs: number;
  now?: number;
}): Scenario {
  const { random } = options;
  const now = options.now ?? Date.now();
  const timeZone = morningZone(now);
  const today = localDateOf(now, timeZone);
  // The product spreads each invoice over the window's first 30 minutes: open it so that the spread
  // ends `reminderLeadMinutes` from now.
  const policy: ReminderPolicy = {
    ...DEFAULT_POLICY,
    sendWindow: { start: hhmm(now + (options.reminderLeadMinutes - 30) * 60_000, timeZone), end: '23:00' },
    businessDaysOnly: false,
    lateCharges: false,
    mergeAcrossChannels: false,
    steps: [
      step(STEP_KEYS.email, 'email', 'invoice-issued'),
      step(STEP_KEYS.sms, 'sms', 'due-day'),
      step('thank-you', 'email', 'thank-you', 'paid'),
    ],
  };

  const customers: ChaosCustomer[] = Array.from({ length: options.customers }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return {
      code: `CH-${n}`,
      name: `Chaos Customer ${n} Ltd`,
      email: `ap-${n}@chaos.example`,
      phone: `+1555${String(i + 1).padStart(7, '0')}`,
    };
  });
  const invoices: ChaosInvoice[] = Array.from({ length: options.invoices }, (_, i) => ({
    number: `CH-${String(i + 1).padStart(6, '0')}`,
    customerCode: (customers[i % customers.length] as ChaosCustomer).code,
    totalMinor: random.int(100, 5_000) * 100 + random.int(0, 99),
    flow: null,
  }));

  // One event per invoice on average: flows go to invoices in random order until the budget is spent.
  const events: ProviderEventPlan[] = [];
  const expected = new Map<string, Expected>();
  const totalWeight = FLOW_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const pickFlow = (): FlowKind => {
    let draw = random.next() * totalWeight;
    for (const [kind, weight] of FLOW_WEIGHTS) {
      draw -= weight;
      if (draw < 0) return kind;
    }
    return 'stripe_paid';
  };
  let eventSeq = 0;
  for (const invoice of random.shuffle(invoices)) {
    if (events.length >= options.invoices) {
      expected.set(invoice.number, { paidMinor: 0, status: 'open', paymentPending: false, creditMinor: 0 });
      continue;
    }
    invoice.flow = pickFlow();
    const flow = buildFlow(invoice, invoice.flow, random, () => ++eventSeq);
    expected.set(invoice.number, flow.expected);
    // Most flows arrive in order, some shuffled (a refund before its payment, paid_out before confirmed).
    const ordered = random.chance(0.3) ? random.shuffle(flow.events) : flow.events;
    let at = random.int(0, options.eventSpreadMs);
    for (const event of ordered) {
      events.push({ ...event, deliveries: random.int(1, 3), offsetMs: at });
      at += random.int(1_000, 20_000);
    }
  }
  return { timeZone, today, policy, customers, invoices, events, expected };
}

type FlowEvent = Omit<ProviderEventPlan, 'deliveries' | 'offsetMs'>;

function buildFlow(
  invoice: ChaosInvoice,
  kind: FlowKind,
  random: Random,
  nextSeq: () => number,
): { events: FlowEvent[]; expected: Expected } {
  const total = invoice.totalMinor;
  const tag = invoice.number.replace(/\W/g, '');
  const created = () => Math.floor(Date.now() / 1000);
  const stripe = (type: string, object: (attemptId: string) => Record<string, unknown>): FlowEvent => {
    const eventId = `evt_chaos_${tag}_${nextSeq()}`;
    return {
      provider: 'stripe',
      eventId,
      invoiceNumber: invoice.number,
      type,
      body: (attemptId) =>
        JSON.stringify({
          id: eventId,
          object: 'event',
          api_version: '2025-01-27.acacia',
          created: created(),
          livemode: false,
          type,
          data: { object: object(attemptId) },
        }),
    };
  };
  const checkout = (amount: number) =>
    stripe('checkout.session.completed', (attemptId) => ({
      id: `cs_chaos_${tag}`,
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      payment_intent: `pi_chaos_${tag}`,
      amount_total: amount,
      currency: 'eur',
      client_reference_id: attemptId,
      metadata: { settle_attempt_id: attemptId },
      payment_method_types: ['card'],
    }));
  // `amount_refunded` is cumulative, as Stripe sends it.
  const refund = (amount: number, refunded: number) =>
    stripe('charge.refunded', () => ({
      id: `ch_chaos_${tag}`,
      object: 'charge',
      payment_intent: `pi_chaos_${tag}`,
      amount,
      amount_refunded: refunded,
      refunded: refunded >= amount,
    }));
  const gocardless = (
    resourceType: string,
    action: string,
    links: (attemptId: string) => Record<string, string>,
  ): FlowEvent => {
    const eventId = `EVchaos${tag}x${nextSeq()}`;
    return {
      provider: 'gocardless',
      eventId,
      invoiceNumber: invoice.number,
      type: `${resourceType}.${action}`,
      body: (attemptId) =>
        JSON.stringify({
          events: [
            {
              id: eventId,
              created_at: new Date().toISOString(),
              resource_type: resourceType,
              action,
              details: { origin: 'bank', cause: action, description: `chaos: ${action}` },
              metadata: {},
              links: links(attemptId),
            },
          ],
          meta: { webhook_id: `WBchaos${eventId}` },
        }),
    };
  };
  const payment = `PMchaos${tag}`;
  const fulfilled = () =>
    gocardless('billing_requests', 'fulfilled', (attemptId) => ({
      billing_request: `local_${attemptId}`,
      payment_request_payment: payment,
      mandate_request_mandate: `MDchaos${tag}`,
      customer: `CUchaos${tag}`,
    }));
  const gcPayment = (action: string) => gocardless('payments', action, () => ({ payment }));
  const open = (paidMinor: number, creditMinor = 0): Expected => ({
    paidMinor,
    status: 'open',
    paymentPending: false,
    creditMinor,
  });
  const paid = (creditMinor = 0): Expected => ({
    paidMinor: total,
    status: 'paid',
    paymentPending: false,
    creditMinor,
  });

  switch (kind) {
    case 'stripe_paid':
      return { events: [checkout(total)], expected: paid() };
    case 'stripe_partial': {
      const part = Math.floor(total / 2);
      return { events: [checkout(part)], expected: open(part) };
    }
    case 'stripe_overpaid': {
      const extra = random.int(1, 50) * 100;
      return { events: [checkout(total + extra)], expected: paid(extra) };
    }
    case 'stripe_refunded':
      return { events: [checkout(total), refund(total, total)], expected: open(0) };
    case 'stripe_partly_refunded': {
      const back = Math.floor(total / 3);
      return { events: [checkout(total), refund(total, back)], expected: open(total - back) };
    }
    case 'stripe_overpaid_refunded_twice': {
      // Issue 11, defect 1: a payment of 100 on an invoice of 60, refunds of 50 then 100: nothing stays paid.
      const amount = total + Math.ceil((total * 2) / 3);
      return {
        events: [checkout(amount), refund(amount, Math.floor(amount / 2)), refund(amount, amount)],
        expected: open(0),
      };
    }
    case 'gocardless_paid_out':
      return {
        events: [fulfilled(), gcPayment('confirmed'), gcPayment('paid_out')],
        expected: paid(),
      };
    case 'gocardless_failed':
      return { events: [fulfilled(), gcPayment('failed')], expected: open(0) };
    case 'gocardless_charged_back':
      return {
        events: [fulfilled(), gcPayment('confirmed'), gcPayment('charged_back')],
        expected: open(0),
      };
    case 'gocardless_pending':
      return {
        events: [fulfilled()],
        expected: { paidMinor: 0, status: 'open', paymentPending: true, creditMinor: 0 },
      };
  }
}

/** Which kind of payment attempt a flow needs (Stripe: a checkout session; GoCardless: a billing request). */
export function flowMethod(kind: FlowKind): 'card' | 'direct_debit' {
  return kind.startsWith('stripe') ? 'card' : 'direct_debit';
}

/** The creditor: created directly (there is no API for a new organization), with its API key. */
export async function createTenant(
  db: Db,
  scenario: Scenario,
): Promise<{ organizationId: string; apiKey: string }> {
  return db.transaction().execute(async (tx) => {
    const organization = await insertOrganization(tx, {
      slug: ORGANIZATION_SLUG,
      name: 'Chaos Trading',
      legal_name: 'Chaos Trading Ltd',
      vat_number: null,
      registration_number: null,
      address_line1: '1 Fault Street',
      address_line2: null,
      postal_code: '00-001',
      city: 'Warszawa',
      country: 'PL',
      bank_account_holder: 'Chaos Trading Ltd',
      bank_iban: 'PL61109010140000071219812874',
      bank_bic: 'WBKPPLPP',
      bank_name: 'Test Bank',
      sender_name: 'Chaos Trading — Accounts',
      sender_email: 'ar@chaos.example',
      sender_phone: '+48221234567',
      signatory_name: 'Chaos Monkey',
      logo_url: null,
      default_currency: 'EUR',
      default_locale: 'en',
      default_time_zone: scenario.timeZone,
    });
    await installDefaultReminders(tx, organization.id, { name: 'Chaos', policy: scenario.policy });
    const { key } = await createApiKey(tx, { organizationId: organization.id, name: 'chaos ERP' });
    return { organizationId: organization.id, apiKey: key };
  });
}

export function customerImportRows(scenario: Scenario) {
  return scenario.customers.map((customer) => ({
    code: customer.code,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    country: 'PL',
    locale: 'en',
    time_zone: scenario.timeZone,
    address_line1: '1 Debtor Road',
    postal_code: '00-002',
    city: 'Kraków',
  }));
}

export function invoiceImportRows(scenario: Scenario, invoices: ChaosInvoice[]) {
  return invoices.map((invoice) => ({
    number: invoice.number,
    customer_code: invoice.customerCode,
    issue_date: scenario.today,
    due_date: addDays(scenario.today, 14),
    currency: 'EUR',
    total: (invoice.totalMinor / 100).toFixed(2),
    description: 'Goods (chaos run)',
  }));
}

/** The debtor starts paying: a payment attempt, as the portal records it (local mode, no provider keys). */
export async function startFlowAttempt(
  db: Db,
  input: { organizationId: string; invoice: ChaosInvoice; portalBaseUrl: string },
): Promise<string> {
  const { invoice } = input;
  if (!invoice.flow || !invoice.id || !invoice.customerId)
    throw new Error(`${invoice.number}: no flow or id`);
  const { attemptId } = await startPayment(
    { db, portalBaseUrl: input.portalBaseUrl },
    {
      organizationId: input.organizationId,
      customerId: invoice.customerId,
      invoiceIds: [invoice.id],
      method: flowMethod(invoice.flow),
      successUrl: `${input.portalBaseUrl}/p/payments/{ATTEMPT_ID}`,
      cancelUrl: `${input.portalBaseUrl}/p`,
    },
  );
  return attemptId;
}

/** Path and headers of one delivery, signed now, exactly as the webhook verifiers expect. */
export function signedDelivery(
  provider: 'stripe' | 'gocardless',
  body: string,
  secrets: { stripe: string; gocardless: string },
): { path: string; headers: Record<string, string> } {
  if (provider === 'stripe') {
    return {
      path: '/webhooks/stripe',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signStripePayload(body, secrets.stripe),
      },
    };
  }
  return {
    path: '/webhooks/gocardless',
    headers: {
      'content-type': 'application/json',
      'webhook-signature': signGoCardlessPayload(body, secrets.gocardless),
    },
  };
}
