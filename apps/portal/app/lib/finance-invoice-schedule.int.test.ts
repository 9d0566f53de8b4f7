import { databaseEnv, loadConfig } from '@settle/config';
import { hashPassword, installDefaultReminders, signInStaff } from '@settle/core';
import { type Db, type Invoice, insertCustomer, insertInvoice, insertUser } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The finance invoice page's planned-reminders timeline through the real route loader over a real
 * database. Temporal points at a closed port: the page must still render its plan from the policy.
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
let db: Db;
let invoice: Invoice;
let cookie: string;
type Loader = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => Promise<unknown>;
let loader: Loader;

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = testDb.db;
  // The portal reads its configuration once, when its modules load: point it at this test database.
  process.env.DATABASE_URL = testDb.url;
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  process.env.PORTAL_BASE_URL = 'http://localhost:3000';
  const { organization } = await seedTenant(db);
  await installDefaultReminders(db, organization.id);
  const customer = await insertCustomer(db, {
    organization_id: organization.id,
    code: 'PL-1',
    name: 'Kowalski i Wspólnicy',
    country: 'PL',
    locale: 'pl',
    time_zone: 'Europe/Warsaw',
  });
  // Summer time ends on 25 Oct 2026; 11 Nov is Independence Day.
  invoice = await insertInvoice(db, {
    organization_id: organization.id,
    customer_id: customer.id,
    number: 'INV-PL-1',
    currency: 'PLN',
    total_minor: 123_00,
    issue_date: '2026-10-16',
    due_date: '2026-11-09',
    lines: [],
  });
  const email = 'viewer@finance.test';
  await insertUser(db, {
    organization_id: organization.id,
    email,
    name: 'A viewer',
    password_hash: await hashPassword('correct horse battery'),
    role: 'viewer',
  });
  const session = await signInStaff(db, { email, password: 'correct horse battery', now: new Date() });
  if (!session) throw new Error('sign-in failed');
  const { financeCookie } = await import('./finance-session.server');
  cookie = (await financeCookie.serialize(session.token)).split(';')[0] ?? '';
  ({ loader } = (await import('../routes/finance.invoices.$id')) as unknown as { loader: Loader });
});
afterAll(async () => {
  await testDb?.drop();
});

type ScheduleRow = {
  stepId: string;
  local: string;
  utcOffset: string;
  channel: string;
  templateKey: string;
  escalation: string;
  moved: string | null;
  conditions: string[];
  status: string;
};

describe('finance invoice page: planned reminders', () => {
  it("shows every planned step in the customer's local time, why it moved, its conditions and status", async () => {
    const result = (await loader({
      request: new Request('http://localhost:3000/', { headers: { Cookie: cookie } }),
      params: { id: invoice.id },
      context: {},
    })) as {
      schedule: { policyName: string; timeZone: string; entries: ScheduleRow[]; afterPayment: unknown };
    };
    const { schedule } = result;
    expect(schedule).toMatchObject({ policyName: 'Default', timeZone: 'Europe/Warsaw' });
    const minute = schedule.entries[0]?.local.slice(-5);
    expect(minute).toMatch(/^09:[0-2]\d$/);
    expect(
      schedule.entries.map(
        (e) =>
          `${e.local.replace(minute ?? '', 'HH:MM')} ${e.utcOffset} ${e.channel} ${e.templateKey} ${e.escalation}`,
      ),
    ).toEqual([
      '2026-10-16 HH:MM +02:00 email invoice-issued courteous',
      '2026-11-06 HH:MM +01:00 email pre-due courteous',
      '2026-11-09 HH:MM +01:00 email due-day courteous',
      '2026-11-09 HH:MM +01:00 sms due-day courteous',
      '2026-11-12 HH:MM +01:00 email overdue firm',
      '2026-11-18 HH:MM +01:00 email overdue firm',
      '2026-11-23 HH:MM +01:00 email firm-overdue firm',
      '2026-11-23 HH:MM +01:00 call call-script firm',
      '2026-11-30 HH:MM +01:00 letter final-notice final',
      '2026-12-01 HH:MM +01:00 collections collections-handover collections',
    ]);
    const byId = new Map(schedule.entries.map((e) => [e.stepId, e]));
    expect(byId.get('pre-due-email#0')?.moved).toBe('from 2026-11-07: weekend, kept before the due date');
    expect(byId.get('overdue-email#0')?.moved).toBe('from 2026-11-11: public holiday');
    expect(byId.get('overdue-call#0')?.conditions).toEqual([
      'only if overdue',
      'only if nothing was paid since the previous step',
    ]);
    // Computed against the real clock: whatever is before now is past, the rest planned.
    const today = new Date().toISOString().slice(0, 10);
    for (const entry of schedule.entries) {
      const day = entry.local.slice(0, 10);
      if (day < today) expect(entry.status, entry.stepId).toBe('past');
      if (day > today) expect(entry.status, entry.stepId).toBe('planned');
    }
    expect(schedule.afterPayment).toMatchObject({ when: 'after full payment', templateKey: 'thank-you' });
  });
});
