import { type Db, sql } from '@settle/db';
import type { AcceptedMessage } from './provider-fake';
import { type Expected, type Scenario, STEP_KEYS } from './scenario';

/**
 * The promises, checked after quiescence from the database, Temporal and the provider fake's own log:
 * nothing acknowledged is lost, nothing is sent twice, a paid invoice is never reminded, and the books
 * add up. Each finding names the invoice and what happened, for whoever fixes it.
 */

export interface Finding {
  check: string;
  /** `lost`, `doubled`, `late`, `wrong balance`, or `info` (reported, not a failure). */
  bucket: 'lost' | 'doubled' | 'late' | 'wrong balance' | 'info';
  count: number;
  examples: string[];
}

/** Times the suite itself saw an invoice paid: bounds on when a payment was recorded. */
export interface PaidInterval {
  /** The payment had committed by then (end of the first poll that showed it paid). */
  from: number;
  /** The invoice was still paid then (start of the last poll that showed it paid). */
  to: number;
  ongoing: boolean;
}

/** Polls the invoices' status every `everyMs` and keeps, per invoice, when it was seen paid. */
export function watchPaidInvoices(db: Db, organizationId: string, everyMs = 500) {
  const intervals = new Map<string, PaidInterval[]>();
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const started = Date.now();
      try {
        const rows = await db
          .selectFrom('invoices')
          .select(['id', 'status'])
          .where('organization_id', '=', organizationId)
          .execute();
        const ended = Date.now();
        for (const row of rows) {
          const list = intervals.get(row.id) ?? [];
          const last = list.at(-1);
          if (row.status === 'paid') {
            if (last?.ongoing) last.to = started;
            else list.push({ from: ended, to: started, ongoing: true });
            intervals.set(row.id, list);
          } else if (last?.ongoing) {
            last.ongoing = false;
          }
        }
      } catch {
        // A terminated backend (the suite's own fault) or a restart: the next poll goes on.
      }
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
    }
  };
  const running = loop();
  return {
    intervals,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

export interface EventDeliveryState {
  provider: 'stripe' | 'gocardless';
  eventId: string;
  invoiceNumber: string;
  type: string;
  acknowledged: number;
  attempts: number;
}

export interface CheckInput {
  db: Db;
  organizationId: string;
  scenario: Scenario;
  accepted: AcceptedMessage[];
  events: EventDeliveryState[];
  paidIntervals: Map<string, PaidInterval[]>;
  /** Latest run status per invoice workflow id (`invoice-<id>`), from Temporal's visibility. */
  workflowStatus: Map<string, string>;
  /** Invoice workflow ids whose next step waits for the customer's next sending day (not lost). */
  deferred?: Set<string>;
}

interface Communication {
  id: string;
  idempotency_key: string;
  step_key: string;
  channel: string;
  recipient: string;
  body_text: string;
  status: string;
  created_at: Date;
  sent_at: Date | null;
  customer_id: string;
  day_slot: string | null;
}

export interface CheckResult {
  findings: Finding[];
  totals: { lost: number; doubled: number; late: number; wrongBalance: number };
  /** Figures for the table that are not checks: how much happened. */
  figures: [string, string | number][];
}

const MAX_EXAMPLES = 12;

function finding(check: string, bucket: Finding['bucket']): Finding {
  return { check, bucket, count: 0, examples: [] };
}
function add(f: Finding, example: string, by = 1): void {
  f.count += by;
  if (f.examples.length < MAX_EXAMPLES) f.examples.push(example);
}
const iso = (ms: number) => new Date(ms).toISOString().slice(11, 23);

export async function runChecks(input: CheckInput): Promise<CheckResult> {
  const { db, organizationId, scenario } = input;
  const invoices = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'customer_id', 'total_minor', 'paid_minor', 'status', 'payment_pending'])
    .where('organization_id', '=', organizationId)
    .execute();
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const byNumber = new Map(invoices.map((i) => [i.number, i]));
  const customers = await db
    .selectFrom('customers')
    .select(['id', 'code', 'credit_balance_minor'])
    .where('organization_id', '=', organizationId)
    .execute();
  const communications = (await db
    .selectFrom('communications')
    .select([
      'id',
      'idempotency_key',
      'step_key',
      'channel',
      'recipient',
      'body_text',
      'status',
      'created_at',
      'sent_at',
      'customer_id',
      'day_slot',
    ])
    .where('organization_id', '=', organizationId)
    .execute()) as Communication[];
  const links = await db
    .selectFrom('communication_invoices')
    .select(['communication_id', 'invoice_id'])
    .where('organization_id', '=', organizationId)
    .execute();
  const listed = new Map<string, string[]>();
  for (const link of links)
    listed.set(link.communication_id, [...(listed.get(link.communication_id) ?? []), link.invoice_id]);
  const byKey = new Map(communications.map((c) => [c.idempotency_key, c]));
  /**
   * Whether the customer's reminder slot for the channel was taken by a sent message that does not
   * list the invoice: its step waits for the customer's next sending day (one per customer, channel
   * and day; the run is one local day), on a workflow timer or in activity retries.
   */
  const slotTakenWithout = (invoice: { id: string; customer_id: string }, channel: string) =>
    communications.some(
      (c) =>
        c.customer_id === invoice.customer_id &&
        c.status === 'sent' &&
        c.day_slot?.split('+').includes(channel) &&
        !(listed.get(c.id) ?? []).includes(invoice.id),
    );
  const bySmsText = new Map<string, Communication[]>();
  for (const c of communications.filter((c) => c.channel === 'sms')) {
    const key = `${c.recipient}\n${c.body_text}`;
    bySmsText.set(key, [...(bySmsText.get(key) ?? []), c]);
  }

  const lostEvents = finding('events acknowledged but not applied', 'lost');
  const unacknowledged = finding('events never acknowledged (2xx) by the API', 'lost');
  const lostReminders = finding('due reminders never delivered (invoice open at the end)', 'lost');
  const deferredReminders = finding(
    "due reminders deferred to the customer's next sending day (the day's reminder went out without them)",
    'info',
  );
  const lostThanks = finding('paid invoices without their thank-you', 'lost');
  const noWorkflow = finding('open invoices with no running workflow (future reminders lost)', 'lost');
  const doubledReminders = finding(
    'reminders delivered more than once (same invoice, channel, day)',
    'doubled',
  );
  const doubledThanks = finding('thank-yous delivered more than once', 'doubled');
  const doubledNotices = finding('notices delivered more than once (same message)', 'doubled');
  const extraFailureNotices = finding(
    'payment-failed notices beyond one per event that reported the failure',
    'doubled',
  );
  const unmatched = finding('deliveries at the provider with no recorded message', 'doubled');
  const late = finding('reminders decided after the payment was recorded, then delivered', 'late');
  const paidRunning = finding('paid invoices whose workflow did not complete', 'late');
  const wrongInvoice = finding(
    'invoices whose paid amount, status or pending flag is wrong',
    'wrong balance',
  );
  const wrongAllocations = finding(
    'invoices whose paid amount differs from their allocations',
    'wrong balance',
  );
  const wrongCredit = finding('customers whose credit is wrong', 'wrong balance');
  const decidedBefore = finding(
    'reminders sent while paid on a decision made before the payment (a retry of a recorded message: not counted)',
    'info',
  );
  const cancelledButDelivered = finding(
    'messages the provider accepted that Settle recorded as cancelled or failed',
    'info',
  );
  const customerTwice = finding(
    'customers with two reminder messages on one channel and day (a hold between them can explain it)',
    'info',
  );
  const deliveredPending = finding('messages the provider accepted that Settle still shows pending', 'info');
  const thanksWhileOpen = finding(
    'thank-yous sent after the invoice was reopened (a refund or charge-back)',
    'info',
  );

  // --- events: every acknowledged one applied exactly once -------------------------------------
  const stored = await db
    .selectFrom('webhook_events')
    .select(['provider', 'event_id', 'processed_at', 'error'])
    .execute();
  const storedBy = new Map(stored.map((e) => [`${e.provider}/${e.event_id}`, e]));
  // How many applied events told each invoice's workflow that a payment failed or was taken back.
  const failureSignals = new Map<string, number>();
  for (const row of await db
    .selectFrom('webhook_events')
    .select('result')
    .where('organization_id', '=', organizationId)
    .where('processed_at', 'is not', null)
    .execute()) {
    const signals = ((row.result as { signals?: { signal: string; invoiceId: string }[] } | null)?.signals ??
      []) as { signal: string; invoiceId: string }[];
    for (const invoiceId of new Set(
      signals.filter((x) => x.signal === 'paymentFailed').map((x) => x.invoiceId),
    ))
      failureSignals.set(invoiceId, (failureSignals.get(invoiceId) ?? 0) + 1);
  }
  const failureNotices = new Map<string, string[]>();
  /** Other messages (notices, thank-yous) delivered per invoice and channel: Settle's merge may count them as covering a step. */
  const otherDelivered = new Map<string, string[]>();
  for (const event of input.events) {
    const row = storedBy.get(`${event.provider}/${event.eventId}`);
    const what = `${event.invoiceNumber} ${event.provider} ${event.type} ${event.eventId}`;
    if (event.acknowledged === 0) {
      add(unacknowledged, `${what}: ${event.attempts} attempts, none answered 2xx`);
      continue;
    }
    if (!row) add(lostEvents, `${what}: acknowledged ${event.acknowledged}x, no webhook_events row`);
    else if (!row.processed_at)
      add(lostEvents, `${what}: stored, not applied${row.error ? ` (${row.error})` : ''}`);
  }

  // --- deliveries at the fake, mapped to the messages Settle recorded ---------------------------
  const deliveries = new Map<string, AcceptedMessage[]>();
  for (const message of input.accepted) {
    let communication: Communication | undefined;
    if (message.channel === 'email' && message.idempotencyKey)
      communication = byKey.get(message.idempotencyKey);
    else communication = bySmsText.get(`${message.to}\n${message.text}`)?.[0];
    if (!communication) {
      add(
        unmatched,
        `${message.channel} to ${message.to} at ${iso(message.at)}: ${message.text.slice(0, 60)}…`,
      );
      continue;
    }
    deliveries.set(communication.id, [...(deliveries.get(communication.id) ?? []), message]);
  }
  const reminderKeys: string[] = [STEP_KEYS.email, STEP_KEYS.sms];
  const isReminder = (c: Communication) => reminderKeys.some((key) => c.step_key.startsWith(key));
  /** Per invoice and channel: the reminder deliveries listing it. */
  const reminderDeliveries = new Map<string, { communication: Communication; at: number }[]>();
  const thankYous = new Map<string, number>();
  const perCustomerDay = new Map<string, Set<string>>();
  for (const communication of communications) {
    const accepted = deliveries.get(communication.id) ?? [];
    if (accepted.length === 0) continue;
    const first = accepted[0] as AcceptedMessage;
    const invoiceIds = listed.get(communication.id) ?? [];
    const names = invoiceIds.map((id) => byId.get(id)?.number ?? id).join(', ');
    if (communication.status === 'cancelled' || communication.status === 'failed')
      add(
        cancelledButDelivered,
        `${communication.idempotency_key} (${names}): ${communication.status}, accepted at ${iso(first.at)}`,
      );
    if (communication.status === 'pending')
      add(deliveredPending, `${communication.idempotency_key} (${names}) accepted at ${iso(first.at)}`);
    if (isReminder(communication)) {
      for (const invoiceId of invoiceIds) {
        for (const message of accepted) {
          const key = `${invoiceId}/${communication.channel}`;
          reminderDeliveries.set(key, [
            ...(reminderDeliveries.get(key) ?? []),
            { communication, at: message.at },
          ]);
        }
      }
      const customer = invoiceIds[0] ? byId.get(invoiceIds[0])?.customer_id : undefined;
      if (customer) {
        const key = `${customer}/${communication.channel}`;
        perCustomerDay.set(key, (perCustomerDay.get(key) ?? new Set()).add(communication.id));
      }
    } else if (communication.step_key === 'thank-you') {
      for (const invoiceId of invoiceIds) {
        const key = `${invoiceId}/${communication.channel}`;
        otherDelivered.set(key, [...(otherDelivered.get(key) ?? []), communication.step_key]);
      }
      for (const invoiceId of invoiceIds) {
        const last = input.paidIntervals.get(invoiceId)?.at(-1);
        if (last && !last.ongoing && first.at > last.to + 5_000)
          add(
            thanksWhileOpen,
            `${names}: last seen paid ${iso(last.to)}, thank-you accepted ${iso(first.at)}`,
          );
      }
      for (const invoiceId of invoiceIds)
        thankYous.set(invoiceId, (thankYous.get(invoiceId) ?? 0) + accepted.length);
      if (accepted.length > 1)
        add(
          doubledThanks,
          `${names}: ${communication.idempotency_key} accepted ${accepted.length}x`,
          accepted.length - 1,
        );
    } else {
      for (const invoiceId of invoiceIds) {
        const key = `${invoiceId}/${communication.channel}`;
        otherDelivered.set(key, [...(otherDelivered.get(key) ?? []), communication.step_key]);
      }
      if (communication.step_key.startsWith('payment-failed'))
        for (const invoiceId of invoiceIds)
          failureNotices.set(invoiceId, [
            ...(failureNotices.get(invoiceId) ?? []),
            `${communication.idempotency_key}@${iso(first.at)}`,
          ]);
      if (accepted.length > 1)
        add(
          doubledNotices,
          `${names}: ${communication.idempotency_key} accepted ${accepted.length}x`,
          accepted.length - 1,
        );
    }
  }
  // Each event that reported a failure may bring one "payment failed" notice, not one per signal sent.
  for (const [invoiceId, notices] of failureNotices) {
    const allowed = failureSignals.get(invoiceId) ?? 0;
    if (notices.length > allowed)
      add(
        extraFailureNotices,
        `${byId.get(invoiceId)?.number}: ${notices.length} notices for ${allowed} failure event(s): ${notices.join(', ')}`,
        notices.length - allowed,
      );
  }
  for (const [key, ids] of perCustomerDay) {
    if (ids.size > 1)
      add(
        customerTwice,
        `${key.split('/')[1]} customer ${customers.find((c) => c.id === key.split('/')[0])?.code}: ${ids.size} messages`,
      );
  }
  // Thank-yous recorded under several keys for one invoice are doubles too.
  for (const [invoiceId, count] of thankYous) {
    const byMessage = communications.filter(
      (c) =>
        c.step_key === 'thank-you' && (listed.get(c.id) ?? []).includes(invoiceId) && deliveries.has(c.id),
    );
    if (byMessage.length > 1)
      add(
        doubledThanks,
        `${byId.get(invoiceId)?.number}: ${count} thank-yous in ${byMessage.length} messages`,
        byMessage.length - 1,
      );
  }

  // --- per invoice: reminders once, none late, none missing; the books -------------------------
  const expectedCredit = new Map<string, number>();
  for (const invoice of invoices) {
    const expected = scenario.expected.get(invoice.number) as Expected | undefined;
    if (!expected) continue;
    expectedCredit.set(
      invoice.customer_id,
      (expectedCredit.get(invoice.customer_id) ?? 0) + expected.creditMinor,
    );
    const open = invoice.status === 'open';
    for (const channel of ['email', 'sms'] as const) {
      const list = reminderDeliveries.get(`${invoice.id}/${channel}`) ?? [];
      if (list.length > 1)
        add(
          doubledReminders,
          `${invoice.number} ${channel}: ${list.length}x (${list.map((d) => `${d.communication.idempotency_key}@${iso(d.at)}`).join(', ')})`,
          list.length - 1,
        );
      if (
        list.length === 0 &&
        open &&
        !invoice.payment_pending &&
        input.workflowStatus.get(`invoice-${invoice.id}`) === 'RUNNING' &&
        (input.deferred?.has(`invoice-${invoice.id}`) || slotTakenWithout(invoice, channel))
      )
        add(deferredReminders, `${invoice.number} ${channel}: waits for the next sending day`);
      else if (list.length === 0 && open && !invoice.payment_pending)
        add(
          lostReminders,
          `${invoice.number} ${channel}: open (paid ${invoice.paid_minor}/${invoice.total_minor}), no reminder delivered${
            otherDelivered.has(`${invoice.id}/${channel}`)
              ? ` (only ${otherDelivered.get(`${invoice.id}/${channel}`)?.join(', ')}: the step may have counted as merged into it)`
              : ''
          }`,
        );
      for (const delivery of list) {
        const decided = delivery.communication.created_at.getTime();
        for (const interval of input.paidIntervals.get(invoice.id) ?? []) {
          if (delivery.at <= interval.from) continue;
          // Before a reopening, a decision that waited on the reversal's row lock can legitimately see
          // the invoice open again: only one well inside the paid interval counts.
          const during = decided > interval.from + 50 && (interval.ongoing || decided < interval.to - 5_000);
          const detail = `${invoice.number} ${channel} ${delivery.communication.idempotency_key}: seen paid ${iso(interval.from)}, decided ${iso(decided)}, delivered ${iso(delivery.at)}`;
          if (during) add(late, detail);
          else if (interval.ongoing || delivery.at < interval.to) add(decidedBefore, detail);
        }
      }
    }
    if (invoice.status === 'paid' && (thankYous.get(invoice.id) ?? 0) === 0)
      add(lostThanks, `${invoice.number}: paid, no thank-you accepted by the provider`);
    const status = input.workflowStatus.get(`invoice-${invoice.id}`);
    if (invoice.status === 'paid' && status !== 'COMPLETED')
      add(paidRunning, `${invoice.number}: paid, workflow ${status ?? 'missing'}`);
    if (open && status !== 'RUNNING') {
      const reminded = ['email', 'sms'].every(
        (ch) => (reminderDeliveries.get(`${invoice.id}/${ch}`) ?? []).length > 0,
      );
      // Counted once: an invoice already short of a reminder is in that row (shown here, not counted).
      const flow = scenario.invoices.find((i) => i.number === invoice.number)?.flow ?? 'no payment';
      const detail = `${invoice.number} (${flow}): open, workflow ${status ?? 'missing'}`;
      if (reminded || invoice.payment_pending) add(noWorkflow, detail);
      else if (noWorkflow.examples.length < MAX_EXAMPLES)
        noWorkflow.examples.push(`${detail} (counted above)`);
    }
    if (
      invoice.paid_minor !== expected.paidMinor ||
      invoice.status !== expected.status ||
      invoice.payment_pending !== expected.paymentPending
    ) {
      const flow = scenario.invoices.find((i) => i.number === invoice.number)?.flow ?? 'no payment';
      add(
        wrongInvoice,
        `${invoice.number} (${flow}, total ${invoice.total_minor}): paid ${invoice.paid_minor} ${invoice.status}${invoice.payment_pending ? ' pending' : ''}, expected ${expected.paidMinor} ${expected.status}${expected.paymentPending ? ' pending' : ''}`,
      );
    }
  }
  for (const customer of customers) {
    const expected = expectedCredit.get(customer.id) ?? 0;
    if (customer.credit_balance_minor !== expected)
      add(wrongCredit, `${customer.code}: credit ${customer.credit_balance_minor}, expected ${expected}`);
  }
  // Balances equal the sum of what payments still allocate to each invoice.
  const reversalColumn = await sql<{ found: boolean }>`
    SELECT true AS found FROM information_schema.columns
    WHERE table_name = 'payment_allocations' AND column_name = 'reversed_minor'`.execute(db);
  const hasAllocationReversals = reversalColumn.rows.length > 0;
  const allocated = await db
    .selectFrom('payment_allocations as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select([
      'a.invoice_id',
      hasAllocationReversals
        ? sql<number>`sum(a.amount_minor - a.reversed_minor)::int`.as('net')
        : sql<number>`sum(a.amount_minor)::int`.as('net'),
    ])
    .where('i.organization_id', '=', organizationId)
    .groupBy('a.invoice_id')
    .execute();
  const netAllocated = new Map(allocated.map((a) => [a.invoice_id, Number(a.net)]));
  for (const invoice of invoices) {
    const flow = scenario.invoices.find((i) => i.number === invoice.number)?.flow ?? null;
    // Without per-allocation reversals in the schema, reversed flows cannot be compared this way.
    if (!hasAllocationReversals && flow && /refund|charged_back/.test(flow)) continue;
    const net = netAllocated.get(invoice.id) ?? 0;
    if (net !== invoice.paid_minor)
      add(
        wrongAllocations,
        `${invoice.number} (${flow ?? 'no payment'}): paid ${invoice.paid_minor}, allocations ${net}`,
      );
  }

  const findings = [
    lostEvents,
    unacknowledged,
    lostReminders,
    deferredReminders,
    lostThanks,
    noWorkflow,
    doubledReminders,
    doubledThanks,
    doubledNotices,
    extraFailureNotices,
    unmatched,
    late,
    paidRunning,
    wrongInvoice,
    wrongAllocations,
    wrongCredit,
    decidedBefore,
    cancelledButDelivered,
    deliveredPending,
    thanksWhileOpen,
    customerTwice,
  ];
  const sum = (bucket: Finding['bucket']) =>
    findings.filter((f) => f.bucket === bucket).reduce((total, f) => total + f.count, 0);
  const owed = invoices.filter((i) => i.status === 'open' && !i.payment_pending).length;
  const figures: [string, string | number][] = [
    [
      'invoices (open / paid at the end)',
      `${invoices.filter((i) => i.status === 'open').length} / ${invoices.filter((i) => i.status === 'paid').length}`,
    ],
    ['invoices expected in the scenario', scenario.invoices.length],
    ['invoices missing from the database', scenario.invoices.filter((i) => !byNumber.has(i.number)).length],
    [
      'provider events (distinct / deliveries acknowledged)',
      `${input.events.length} / ${input.events.reduce((s, e) => s + e.acknowledged, 0)}`,
    ],
    [
      'messages recorded (sent / pending / cancelled / failed)',
      ['sent', 'pending', 'cancelled', 'failed']
        .map((s) => communications.filter((c) => c.status === s).length)
        .join(' / '),
    ],
    [
      'messages accepted by the provider fake (e-mail / SMS)',
      `${input.accepted.filter((m) => m.channel === 'email').length} / ${input.accepted.filter((m) => m.channel === 'sms').length}`,
    ],
    ['invoices owed a reminder at the end (open, no payment pending)', owed],
  ];
  return {
    findings,
    totals: {
      lost: sum('lost'),
      doubled: sum('doubled'),
      late: sum('late'),
      wrongBalance: sum('wrong balance'),
    },
    figures,
  };
}

/** The table and the summary line, as the suite prints them. */
export function formatReport(result: CheckResult): string {
  const lines: string[] = [];
  const width = Math.max(
    ...result.findings.map((f) => f.check.length),
    ...result.figures.map(([name]) => name.length),
  );
  lines.push('', `${'what happened'.padEnd(width + 2)}figure`);
  for (const [name, value] of result.figures) lines.push(`  ${name.padEnd(width)}  ${value}`);
  lines.push('', `${'check'.padEnd(width + 2)}${'bucket'.padEnd(15)}count`);
  for (const f of result.findings) {
    lines.push(`  ${f.check.padEnd(width)}  ${f.bucket.padEnd(13)}  ${f.count}`);
  }
  for (const f of result.findings.filter((f) => f.count > 0 || f.examples.length > 0)) {
    lines.push('', `${f.check} (${f.bucket}, ${f.count}):`);
    for (const example of f.examples) lines.push(`    ${example}`);
  }
  const { lost, doubled, late, wrongBalance } = result.totals;
  lines.push('', `lost ${lost}, doubled ${doubled}, late ${late}, wrong balance ${wrongBalance}`);
  return lines.join('\n');
}
