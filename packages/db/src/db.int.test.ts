import { databaseEnv, loadConfig } from '@settle/config';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allocatePayment,
  appendAuditLog,
  DaySlotTakenError,
  findActiveApiKeyByHash,
  findCustomerByCode,
  findLiveSessionByTokenHash,
  findPortalLinkByTokenHash,
  findTemplate,
  findUserByEmail,
  getInvoice,
  insertApiKey,
  insertCommunicationOnce,
  insertInvoice,
  insertPaymentOnce,
  insertPortalLink,
  insertPromiseToPay,
  insertReminderPolicy,
  insertSession,
  insertTaskOnce,
  insertUser,
  insertWebhookEventOnce,
  listAuditLog,
  listInvoiceCommunications,
  listInvoiceLines,
  listInvoicePayments,
  markCommunicationFailed,
  openDispute,
  resolveDispute,
  resolveReminderPolicy,
  revokeApiKey,
  upsertTemplate,
} from './index';
import { migrateToLatest } from './migrate';
import { createTestDatabase, seedTenant, type TestDatabase } from './testing';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

describe('migrations', () => {
  it('create every table of the design on an empty database and are idempotent', async () => {
    const empty = await createTestDatabase(DATABASE_URL);
    try {
      await sql`DROP SCHEMA public CASCADE; CREATE SCHEMA public`.execute(empty.db);
      const first = await migrateToLatest(empty.db);
      expect(first.applied).toEqual([
        '0001_initial_schema',
        '0002_documents',
        '0003_payment_events',
        '0004_idempotency_keys',
        '0005_dispute_attachments',
        '0006_reminder_engine_settings',
        '0007_statutory_rates',
        '0008_payment_allocations',
        '0009_communication_sending_started',
        '0010_open_invoices_sweep',
        '0011_customer_day_slot',
      ]);
      const second = await migrateToLatest(empty.db);
      expect(second.applied).toEqual([]);
      const tables = await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(
        empty.db,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        [
          'api_keys',
          'audit_log',
          'communication_invoices',
          'communications',
          'customers',
          'dispute_attachments',
          'disputes',
          'documents',
          'idempotency_keys',
          'invoice_lines',
          'invoices',
          'organizations',
          'payment_allocations',
          'payment_attempts',
          'payments',
          'portal_links',
          'promises_to_pay',
          'reminder_policies',
          'reminder_policy_steps',
          'sessions',
          'statutory_rates',
          'tasks',
          'templates',
          'users',
          'webhook_events',
        ].sort(),
      );
    } finally {
      await empty.drop();
    }
  });

  it('scope every tenant table by organization_id', async () => {
    const rows = await sql<{ table_name: string }>`
      SELECT t.table_name FROM information_schema.tables t
      WHERE t.table_schema = 'public' AND t.table_name NOT IN ('organizations', 'webhook_events')
        AND t.table_name NOT LIKE 'kysely_%'
        AND NOT EXISTS (SELECT 1 FROM information_schema.columns c
          WHERE c.table_name = t.table_name AND c.column_name = 'organization_id')`.execute(testDb.db);
    expect(rows.rows).toEqual([]);
  });
});

describe('repositories', () => {
  it('round-trip access: users, sessions and hashed API keys', async () => {
    const { db } = testDb;
    const { organization } = await seedTenant(db);
    const user = await insertUser(db, {
      organization_id: organization.id,
      email: 'Finance@Acme.example',
      name: 'Fin',
      password_hash: 'argon2id$stub',
      role: 'admin',
    });
    expect((await findUserByEmail(db, 'finance@acme.example'))?.id).toBe(user.id);

    const now = new Date();
    await insertSession(db, {
      organization_id: organization.id,
      user_id: user.id,
      token_hash: 'session-hash',
      expires_at: new Date(now.getTime() + 60_000),
    });
    expect(await findLiveSessionByTokenHash(db, 'session-hash', now)).toBeDefined();
    expect(
      await findLiveSessionByTokenHash(db, 'session-hash', new Date(now.getTime() + 120_000)),
    ).toBeUndefined();

    const key = await insertApiKey(db, {
      organization_id: organization.id,
      name: 'erp',
      prefix: 'sk_test',
      key_hash: 'key-hash',
    });
    expect((await findActiveApiKeyByHash(db, 'key-hash'))?.id).toBe(key.id);
    expect(await revokeApiKey(db, organization.id, key.id, now)).toBe(true);
    expect(await findActiveApiKeyByHash(db, 'key-hash')).toBeUndefined();
  });

  it('round-trip customers and invoices with lines, money as integer minor units', async () => {
    const { db } = testDb;
    const { organization, customer } = await seedTenant(db);
    expect((await findCustomerByCode(db, organization.id, customer.code))?.id).toBe(customer.id);

    const invoice = await db.transaction().execute((tx) =>
      insertInvoice(tx, {
        organization_id: organization.id,
        customer_id: customer.id,
        number: 'INV-1',
        currency: 'EUR',
        total_minor: 9_007_199_254_740, // large, still exact
        issue_date: '2026-03-29',
        due_date: '2026-04-28',
        lines: [{ description: 'Widgets', quantity_milli: 1500, unit_price_minor: 1000, total_minor: 1500 }],
      }),
    );
    const read = await getInvoice(db, organization.id, invoice.id);
    expect(read).toMatchObject({ total_minor: 9_007_199_254_740, paid_minor: 0, status: 'open' });
    // Calendar days are never shifted by a time zone.
    expect(read?.due_date).toBe('2026-04-28');
    expect(await listInvoiceLines(db, organization.id, invoice.id)).toHaveLength(1);

    const other = await seedTenant(db);
    expect(await getInvoice(db, other.organization.id, invoice.id)).toBeUndefined();
  });

  it('refuse an invoice whose customer belongs to another organization', async () => {
    const { db } = testDb;
    const a = await seedTenant(db);
    const b = await seedTenant(db);
    await expect(
      insertInvoice(db, {
        organization_id: a.organization.id,
        customer_id: b.customer.id,
        number: 'X-1',
        currency: 'EUR',
        total_minor: 100,
        issue_date: '2026-01-01',
        due_date: '2026-01-31',
        lines: [],
      }),
    ).rejects.toThrow(/foreign key/);
  });

  it('record a payment once per provider payment id and allocate it', async () => {
    const { db } = testDb;
    const { organization, customer } = await seedTenant(db);
    const invoice = await insertInvoice(db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number: 'INV-P',
      currency: 'EUR',
      total_minor: 5000,
      issue_date: '2026-01-01',
      due_date: '2026-01-31',
      lines: [],
    });
    const payment = {
      organization_id: organization.id,
      customer_id: customer.id,
      provider: 'stripe' as const,
      provider_payment_id: 'pi_123',
      method: 'card' as const,
      amount_minor: 5000,
      currency: 'EUR',
      status: 'confirmed' as const,
    };
    const first = await insertPaymentOnce(db, payment);
    const again = await insertPaymentOnce(db, payment);
    expect(first.isNew).toBe(true);
    expect(again).toMatchObject({ isNew: false, payment: { id: first.payment.id } });
    await allocatePayment(db, {
      organizationId: organization.id,
      paymentId: first.payment.id,
      invoiceId: invoice.id,
      amountMinor: 5000,
    });
    expect(await listInvoicePayments(db, organization.id, invoice.id)).toMatchObject([
      { allocated_minor: 5000 },
    ]);
  });

  it('round-trip policies with steps and templates, choosing customer over segment over default', async () => {
    const { db } = testDb;
    const { organization, customer } = await seedTenant(db, { customer: { segment: 'wholesale' } });
    const step = {
      key: 'due',
      anchor: 'due_date' as const,
      offset_days: 0,
      channel: 'email' as const,
      template_key: 'due-day',
      escalation: 'courteous' as const,
    };
    const base = { organization_id: organization.id };
    const fallback = await insertReminderPolicy(db, { ...base, name: 'Default', is_default: true }, [step]);
    const segment = await insertReminderPolicy(db, { ...base, name: 'Wholesale', segment: 'wholesale' }, [
      step,
    ]);
    const own = await insertReminderPolicy(db, { ...base, name: 'VIP' }, [
      step,
      { ...step, key: 'b', offset_days: 3 },
    ]);

    expect((await resolveReminderPolicy(db, customer))?.id).toBe(segment.id);
    expect(
      (await resolveReminderPolicy(db, { ...customer, reminder_policy_id: own.id }))?.steps,
    ).toHaveLength(2);
    expect((await resolveReminderPolicy(db, { ...customer, segment: null }))?.id).toBe(fallback.id);

    await upsertTemplate(db, {
      ...base,
      key: 'due-day',
      channel: 'email',
      locale: 'de',
      subject: 'A',
      body: 'x',
    });
    await upsertTemplate(db, {
      ...base,
      key: 'due-day',
      channel: 'email',
      locale: 'de',
      subject: 'B',
      body: 'y',
    });
    expect(await findTemplate(db, organization.id, 'due-day', 'email', 'de')).toMatchObject({
      subject: 'B',
      body: 'y',
    });
  });

  it('record each message and task once per idempotency key', async () => {
    const { db } = testDb;
    const { organization, customer } = await seedTenant(db);
    const invoice = await insertInvoice(db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number: 'INV-C',
      currency: 'EUR',
      total_minor: 100,
      issue_date: '2026-01-01',
      due_date: '2026-01-31',
      lines: [],
    });
    const message = {
      organization_id: organization.id,
      customer_id: customer.id,
      idempotency_key: `invoice-${invoice.id}/step-due#0`,
      step_key: 'due#0',
      channel: 'email' as const,
      locale: 'de',
      recipient: 'ap@globex.example',
      body_text: 'Hallo',
      provider: 'outbox' as const,
    };
    const first = await insertCommunicationOnce(db, message, [invoice.id]);
    const second = await insertCommunicationOnce(db, message, [invoice.id]);
    expect(second).toMatchObject({ isNew: false, communication: { id: first.communication.id } });
    expect(await listInvoiceCommunications(db, organization.id, invoice.id)).toHaveLength(1);

    const task = {
      organization_id: organization.id,
      kind: 'call' as const,
      idempotency_key: 'k',
      title: 'Call',
    };
    expect((await insertTaskOnce(db, task)).id).toBe((await insertTaskOnce(db, task)).id);
  });

  it('keep one reminder per customer, channel slot and day while it is pending or sent', async () => {
    const { db } = testDb;
    const { organization, customer } = await seedTenant(db);
    const reminder = (key: string, slot: { day_slot: string; slot_date: string }) => ({
      organization_id: organization.id,
      customer_id: customer.id,
      idempotency_key: key,
      step_key: 'overdue-email#0',
      channel: 'email' as const,
      locale: 'de',
      recipient: 'ap@globex.example',
      body_text: 'Hallo',
      provider: 'outbox' as const,
      ...slot,
    });
    const day = { day_slot: 'email', slot_date: '2026-12-09' };
    const first = await insertCommunicationOnce(db, reminder('a', day), []);
    // The same key again is the same message; another key for the slot and day is refused.
    expect((await insertCommunicationOnce(db, reminder('a', day), [])).isNew).toBe(false);
    await expect(insertCommunicationOnce(db, reminder('b', day), [])).rejects.toBeInstanceOf(
      DaySlotTakenError,
    );
    // Another day or slot is free; a failed message frees its slot.
    await insertCommunicationOnce(db, reminder('c', { ...day, slot_date: '2026-12-10' }), []);
    await insertCommunicationOnce(db, reminder('d', { ...day, day_slot: 'sms' }), []);
    await markCommunicationFailed(db, first.communication.id, 'rejected');
    expect((await insertCommunicationOnce(db, reminder('b', day), [])).isNew).toBe(true);
  });

  it('round-trip disputes, promises, portal links, webhook events and the audit log', async () => {
    const { db } = testDb;
    const { organization, customer } = await seedTenant(db);
    const invoice = await insertInvoice(db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number: 'INV-D',
      currency: 'EUR',
      total_minor: 100,
      issue_date: '2026-01-01',
      due_date: '2026-01-31',
      lines: [],
    });
    const ids = { organizationId: organization.id, invoiceId: invoice.id, customerId: customer.id };
    const dispute = await openDispute(db, { ...ids, reason: 'wrong_amount', message: 'Too much' });
    await expect(openDispute(db, { ...ids, reason: 'other', message: '' })).rejects.toThrow(/duplicate key/);
    const resolved = await resolveDispute(db, {
      organizationId: organization.id,
      disputeId: dispute.id,
      outcome: 'rejected',
      note: 'Amount is correct',
      resolvedBy: null,
      at: new Date(),
    });
    expect(resolved?.status).toBe('rejected');

    expect((await insertPromiseToPay(db, { ...ids, promisedDate: '2026-02-10' })).promised_date).toBe(
      '2026-02-10',
    );

    await insertPortalLink(db, { ...ids, tokenHash: 'th', expiresAt: new Date(Date.now() + 1000) });
    expect((await findPortalLinkByTokenHash(db, 'th'))?.customer_id).toBe(customer.id);

    const event = {
      provider: 'stripe' as const,
      eventId: 'evt_1',
      type: 'checkout.session.completed',
      payload: { a: 1 },
    };
    const stored = await insertWebhookEventOnce(db, event);
    expect(stored.isNew).toBe(true);
    expect((await insertWebhookEventOnce(db, event)).isNew).toBe(false);
    expect(stored.event.payload).toEqual({ a: 1 });

    await appendAuditLog(db, {
      organizationId: organization.id,
      actor: { type: 'system' },
      action: 'dispute.rejected',
      subject: { type: 'dispute', id: dispute.id },
      data: { note: 'Amount is correct' },
    });
    expect(await listAuditLog(db, organization.id, { type: 'dispute', id: dispute.id })).toMatchObject([
      { action: 'dispute.rejected', data: { note: 'Amount is correct' } },
    ]);
  });
});
