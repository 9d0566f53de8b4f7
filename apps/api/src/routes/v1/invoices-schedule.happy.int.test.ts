import { installDefaultReminders } from '@settle/core';
import { insertCommunicationOnce, markCommunicationSent } from '@settle/db';
import { DEFAULT_POLICY, previewSchedule, type ScheduleEntry, SMS_SCENARIO_POLICY } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia, customerBody } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
let polishCustomerId: string;
beforeAll(async () => {
  h = await createApiHarness();
  // The default policy and its templates, as a new organization gets them.
  await installDefaultReminders(h.db, h.tenant.organization.id);
  const customer = await h.request('POST', '/v1/customers', {
    body: customerBody({ country: 'PL', locale: 'pl', timeZone: 'Europe/Warsaw' }),
  });
  if (customer.status !== 201) throw new Error(`customer not created: ${JSON.stringify(customer.body)}`);
  polishCustomerId = customer.body.id;
});
afterAll(() => h?.close());

// Issued in summer time, due after it ends (25 Oct 2026), with 11 November (a holiday) in between.
const autumnInvoice = { issueDate: '2026-10-16', dueDate: '2026-11-09' };
const withoutStatus = ({ status: _status, ...entry }: ScheduleEntry) => entry;

describe('GET /v1/invoices/{id}/schedule', () => {
  it("answers the domain's preview for the invoice: its customer's calendar, its minute, past steps marked", async () => {
    const invoice = await createInvoiceVia(h, {
      overrides: { customerId: polishCustomerId, ...autumnInvoice },
    });
    const before = Date.now();
    const response = await h.request('GET', `/v1/invoices/${invoice.id}/schedule`);
    const after = Date.now();
    expect(response.status).toBe(200);
    const { data } = response.body;
    expect(data.invoice).toMatchObject({ id: invoice.id, status: 'open', balanceMinor: invoice.totalMinor });
    expect(data.customer).toMatchObject({ timeZone: 'Europe/Warsaw', country: 'PL', locale: 'pl' });
    expect(data.policy).toMatchObject({ name: 'Default' });

    const expected = previewSchedule({
      policy: DEFAULT_POLICY,
      ...autumnInvoice,
      timeZone: 'Europe/Warsaw',
      country: 'PL',
      jitterKey: invoice.id,
      locale: 'pl',
      balanceMinor: invoice.totalMinor,
    });
    expect(data.preview.entries.map(withoutStatus)).toEqual(expected.entries.map(withoutStatus));
    expect(data.preview.afterPayment).toEqual(expected.afterPayment);
    for (const entry of data.preview.entries as ScheduleEntry[]) {
      const at = Date.parse(entry.sendAt);
      if (at < before) expect(entry.status).toBe('past');
      if (at >= after) expect(entry.status).toBe('planned');
    }

    // One minute for the whole invoice, in Warsaw's offset of each day.
    const [first, ...rest] = data.preview.entries as ScheduleEntry[];
    expect(first).toMatchObject({ localDate: '2026-10-16', utcOffset: '+02:00' });
    expect(first?.localTime).toMatch(/^09:[0-2]\d$/);
    for (const entry of rest)
      expect(entry).toMatchObject({ localTime: first?.localTime, utcOffset: '+01:00' });
    expect(data.preview.entries.find((e: ScheduleEntry) => e.stepId === 'overdue-email#0')).toMatchObject({
      nominalDate: '2026-11-11',
      localDate: '2026-11-12',
      movedBecause: ['holiday'],
    });
    expect(data.messages).toEqual([]);
  });

  it('lists the messages already recorded, each tied to its planned step', async () => {
    const invoice = await createInvoiceVia(h, {
      overrides: { customerId: polishCustomerId, ...autumnInvoice },
    });
    const { communication } = await insertCommunicationOnce(
      h.db,
      {
        organization_id: h.tenant.organization.id,
        customer_id: polishCustomerId,
        idempotency_key: `invoice-${invoice.id}/step-issue-email#0`,
        step_key: 'issue-email',
        channel: 'email',
        locale: 'pl',
        recipient: 'ap@example.com',
        subject: 'Faktura',
        body_text: 'Faktura w załączniku.',
        provider: 'outbox',
      },
      [invoice.id],
    );
    await markCommunicationSent(h.db, communication.id, {
      providerMessageId: 'msg_1',
      sentAt: new Date('2026-10-16T07:05:00Z'),
    });
    const response = await h.request('GET', `/v1/invoices/${invoice.id}/schedule`);
    expect(response.body.data.messages).toEqual([
      {
        communicationId: communication.id,
        stepId: 'issue-email#0',
        stepKey: 'issue-email',
        channel: 'email',
        status: 'sent',
        recipient: 'ap@example.com',
        subject: 'Faktura',
        createdAt: expect.any(String),
        sentAt: '2026-10-16T07:05:00.000Z',
        error: null,
      },
    ]);
  });
});

describe('POST /v1/policies/preview', () => {
  it('previews a draft SMS policy on a sample invoice without saving it', async () => {
    const policiesBefore = (await h.request('GET', '/v1/policies')).body.data.length;
    const sample = { ...autumnInvoice, country: 'pl', timeZone: 'Europe/Warsaw' };
    const response = await h.request('POST', '/v1/policies/preview', {
      body: { policy: SMS_SCENARIO_POLICY, sample },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual(
      previewSchedule({
        policy: SMS_SCENARIO_POLICY,
        ...autumnInvoice,
        country: 'PL',
        timeZone: 'Europe/Warsaw',
        jitterKey: '',
      }),
    );
    expect(
      response.body.data.entries.map((e: ScheduleEntry) => `${e.localDate} ${e.localTime} ${e.templateKey}`),
    ).toEqual([
      '2026-10-16 09:01 sms-invoice-issued',
      '2026-11-06 09:01 sms-pre-due',
      '2026-11-09 09:01 sms-due-day',
      '2026-11-12 09:01 sms-overdue',
      '2026-11-18 09:01 sms-overdue',
      '2026-11-25 09:01 sms-overdue',
      '2026-11-30 09:01 sms-collections-handover',
    ]);
    expect((await h.request('GET', '/v1/policies')).body.data).toHaveLength(policiesBefore);
  });

  it('says whether a minimum balance is met when the sample has a balance', async () => {
    const policy = {
      ...DEFAULT_POLICY,
      steps: [{ ...DEFAULT_POLICY.steps[2]!, minBalanceMinor: 10_000 }],
    };
    const response = await h.request('POST', '/v1/policies/preview', {
      body: {
        policy,
        sample: { ...autumnInvoice, country: 'PL', timeZone: 'Europe/Warsaw', balanceMinor: 5_000 },
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.entries[0].conditions).toEqual([
      { condition: 'min_balance', minBalanceMinor: 10_000, metByCurrentBalance: false },
    ]);
  });
});
