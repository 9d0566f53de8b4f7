import { databaseEnv, loadConfig } from '@settle/config';
import { getAgingReport, hashPassword, signInStaff } from '@settle/core';
import {
  type Customer,
  type Db,
  type Invoice,
  insertCustomer,
  insertInvoice,
  insertTaskOnce,
  insertUser,
  openDispute,
  type UserRole,
  upsertTemplate,
} from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The finance console's role rules through the real route loaders and actions over a real database.
 * Temporal points at a closed port: the actions exercised here either are refused before anything is
 * written or signalled, or write without signalling (tasks, customer opt-outs, links, templates).
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
const BASE = 'http://localhost:3000';
let testDb: TestDatabase;
let db: Db;
let organizationId: string;
let customer: Customer;
let invoice: Invoice;
let foreignInvoice: Invoice;
const cookies = {} as Record<UserRole, string>;

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => Promise<unknown>;
type Route = { loader?: Handler; action?: Handler };
let routes: Record<string, Route>;
let agingReportCsv: (report: Awaited<ReturnType<typeof getAgingReport>>) => string;

async function staffCookie(role: UserRole): Promise<string> {
  const email = `${role}-${Math.random().toString(36).slice(2)}@finance.test`;
  await insertUser(db, {
    organization_id: organizationId,
    email,
    name: `A ${role}`,
    password_hash: await hashPassword('correct horse battery'),
    role,
  });
  const session = await signInStaff(db, { email, password: 'correct horse battery', now: new Date() });
  if (!session) throw new Error('sign-in failed');
  const { financeCookie } = await import('./finance-session.server');
  return (await financeCookie.serialize(session.token)).split(';')[0] ?? '';
}

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = testDb.db;
  // The portal reads its configuration once, when its modules load: point it at this test database.
  process.env.DATABASE_URL = testDb.url;
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  process.env.PORTAL_BASE_URL = BASE;
  const tenant = await seedTenant(db);
  organizationId = tenant.organization.id;
  customer = tenant.customer;
  const invoiceOf = (orgId: string, customerId: string, number: string, dueDate: string) =>
    insertInvoice(db, {
      organization_id: orgId,
      customer_id: customerId,
      number,
      currency: 'EUR',
      total_minor: 12_345,
      issue_date: '2026-05-01',
      due_date: dueDate,
      lines: [],
    });
  invoice = await invoiceOf(organizationId, customer.id, 'INV-1', '2026-10-01');
  await invoiceOf(organizationId, customer.id, 'INV-2', '2099-01-01');
  const second = await insertCustomer(db, {
    organization_id: organizationId,
    code: '=HYPERLINK("x")',
    name: 'Quote, "Comma" & Co',
    country: 'DE',
    locale: 'de',
    time_zone: 'Europe/Berlin',
  });
  await invoiceOf(organizationId, second.id, 'INV-3', '2026-06-01');
  const stranger = await seedTenant(db);
  foreignInvoice = await invoiceOf(stranger.organization.id, stranger.customer.id, 'INV-X', '2026-10-01');
  for (const role of ['viewer', 'collector', 'admin'] as const) cookies[role] = await staffCookie(role);
  routes = {
    dashboard: await import('../routes/finance._index'),
    disputes: await import('../routes/finance.disputes'),
    tasks: await import('../routes/finance.tasks'),
    aging: await import('../routes/finance.aging'),
    agingCsv: await import('../routes/finance.aging[.]csv'),
    customers: await import('../routes/finance.customers._index'),
    customer: await import('../routes/finance.customers.$id'),
    invoice: await import('../routes/finance.invoices.$id'),
    outbox: await import('../routes/finance.outbox'),
    policies: await import('../routes/finance.policies._index'),
    policy: await import('../routes/finance.policies.$id'),
    templates: await import('../routes/finance.templates'),
  } as unknown as Record<string, Route>;
  ({ agingReportCsv } = await import('./finance-aging-csv.server'));
});
afterAll(async () => {
  await testDb?.drop();
});

/** Runs a loader or action; thrown responses (redirect, 403, 404) come back like returned ones. */
async function run(handler: Handler | undefined, request: Request, params: Record<string, string> = {}) {
  if (!handler) throw new Error('no such handler');
  try {
    return await handler({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    if (thrown && typeof thrown === 'object' && 'init' in thrown) return thrown;
    throw thrown;
  }
}

function statusOf(value: unknown): number {
  if (value instanceof Response) return value.status;
  const init = (value as { init?: { status?: number } | null }).init;
  return init?.status ?? 200;
}

function bodyOf<T>(value: unknown): T {
  return ((value as { data?: T }).data ?? value) as T;
}

function get(path: string, role: UserRole | null): Request {
  return new Request(`${BASE}${path}`, { headers: role ? { Cookie: cookies[role] } : {} });
}

function post(path: string, role: UserRole, fields: Record<string, string>): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { Cookie: cookies[role], 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function policyId(): Promise<string> {
  const row = await db
    .selectFrom('reminder_policies')
    .select('id')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (row) return row.id;
  const inserted = await db
    .insertInto('reminder_policies')
    .values({ organization_id: organizationId, name: 'Default', is_default: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

describe('finance console access', () => {
  it('sends a visitor without a session to sign-in from every page', async () => {
    for (const name of [
      'dashboard',
      'disputes',
      'tasks',
      'aging',
      'customers',
      'outbox',
      'policies',
      'templates',
    ]) {
      const response = await run(routes[name]?.loader, get('/finance/x', null));
      expect(statusOf(response), name).toBe(302);
      expect((response as Response).headers.get('Location')).toBe('/finance/login');
    }
  });

  it('lets every role read every page', async () => {
    for (const role of ['viewer', 'collector', 'admin'] as const) {
      for (const name of [
        'dashboard',
        'disputes',
        'tasks',
        'aging',
        'customers',
        'outbox',
        'policies',
        'templates',
      ]) {
        expect(statusOf(await run(routes[name]?.loader, get('/finance/x', role))), `${role} ${name}`).toBe(
          200,
        );
      }
      expect(statusOf(await run(routes.invoice?.loader, get('/', role), { id: invoice.id }))).toBe(200);
      expect(statusOf(await run(routes.customer?.loader, get('/', role), { id: customer.id }))).toBe(200);
      expect(statusOf(await run(routes.policy?.loader, get('/', role), { id: await policyId() }))).toBe(200);
    }
  });

  it("hides another organization's invoice as not found", async () => {
    expect(statusOf(await run(routes.invoice?.loader, get('/', 'admin'), { id: foreignInvoice.id }))).toBe(
      404,
    );
  });

  it('refuses every change to a viewer with 403 and writes nothing', async () => {
    const dispute = await openDispute(db, {
      organizationId,
      invoiceId: invoice.id,
      customerId: customer.id,
      reason: 'quality',
      message: 'broken',
    });
    const task = await insertTaskOnce(db, {
      organization_id: organizationId,
      kind: 'letter',
      idempotency_key: `letter-${Math.random()}`,
      customer_id: customer.id,
      invoice_id: invoice.id,
      title: 'Post the letter',
      details: {},
    });
    const attempts: [Route | undefined, Record<string, string>, Record<string, string>][] = [
      [routes.disputes, { disputeId: dispute.id, outcome: 'rejected', note: 'no' }, {}],
      [routes.tasks, { intent: 'complete', taskId: task.id, outcome: 'posted' }, {}],
      [routes.invoice, { intent: 'pause', reason: 'asked' }, { id: invoice.id }],
      [routes.invoice, { intent: 'write-off' }, { id: invoice.id }],
      [routes.customer, { intent: 'create-link' }, { id: customer.id }],
      [routes.policy, { name: 'x', stepCount: '0' }, { id: await policyId() }],
      [
        routes.templates,
        { intent: 'save', key: 'k', channel: 'email', locale: 'en', subject: 's', body: 'b' },
        {},
      ],
    ];
    for (const [route, fields, params] of attempts) {
      expect(
        statusOf(await run(route?.action, post('/', 'viewer', fields), params)),
        JSON.stringify(fields),
      ).toBe(403);
    }
    const after = await db
      .selectFrom('disputes')
      .select('status')
      .where('id', '=', dispute.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('open');
    const taskAfter = await db
      .selectFrom('tasks')
      .select('status')
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(taskAfter.status).toBe('open');
    const links = await db
      .selectFrom('portal_links')
      .select('id')
      .where('customer_id', '=', customer.id)
      .execute();
    expect(links).toHaveLength(0);
  });

  it('lets a collector complete tasks and answer disputes, but not administer', async () => {
    const task = await insertTaskOnce(db, {
      organization_id: organizationId,
      kind: 'letter',
      idempotency_key: `letter-${Math.random()}`,
      customer_id: customer.id,
      invoice_id: invoice.id,
      title: 'Post the letter',
      details: {},
    });
    const done = await run(
      routes.tasks?.action,
      post('/', 'collector', { intent: 'complete', taskId: task.id, outcome: 'posted' }),
    );
    expect(statusOf(done)).toBe(200);
    const row = await db.selectFrom('tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'done', outcome: 'posted' });
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', task.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['task.letter.done']);

    // Answering is allowed; a rejection without a reply is refused, naming the field.
    const dispute = await db
      .selectFrom('disputes')
      .select('id')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    const rejected = await run(
      routes.disputes?.action,
      post('/', 'collector', { disputeId: dispute.id, outcome: 'rejected', note: ' ' }),
    );
    expect(statusOf(rejected)).toBe(400);
    expect(bodyOf<{ fields: Record<string, string> }>(rejected).fields.note).toMatch(/reply/);

    for (const [route, fields, params] of [
      [routes.customer, { intent: 'create-link' }, { id: customer.id }],
      [routes.policy, { name: 'x', stepCount: '0' }, { id: await policyId() }],
      [
        routes.templates,
        { intent: 'save', key: 'k', channel: 'email', locale: 'en', subject: 's', body: 'b' },
        {},
      ],
    ] as const) {
      expect(statusOf(await run(route?.action, post('/', 'collector', fields), params))).toBe(403);
    }
  });

  it('lets an admin fix contacts, change opt-outs, create a portal link shown once, and revoke it', async () => {
    const saved = await run(
      routes.customer?.action,
      post('/', 'admin', {
        intent: 'settings',
        creditLimit: '5000.50',
        creditLimitCurrency: 'eur',
        email: 'fixed@globex.example',
        phone: '+4930123456',
        emailOptOut: 'on',
        reminderPolicyId: '',
        segment: '',
      }),
      { id: customer.id },
    );
    expect(statusOf(saved)).toBe(200);
    const row = await db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      email_opt_out: true,
      sms_opt_out: false,
      credit_limit_minor: 500_050,
      credit_limit_currency: 'EUR',
      email: 'fixed@globex.example',
      phone: '+4930123456',
    });
    const badPhone = await run(
      routes.customer?.action,
      post('/', 'admin', { intent: 'settings', phone: '030 123', creditLimit: '', creditLimitCurrency: '' }),
      { id: customer.id },
    );
    expect(statusOf(badPhone)).toBe(400);
    expect(bodyOf<{ fields: Record<string, string> }>(badPhone).fields.phone).toMatch(/E\.164/);

    const created = bodyOf<{ ok: boolean; extra: { url: string } }>(
      await run(routes.customer?.action, post('/', 'admin', { intent: 'create-link' }), { id: customer.id }),
    );
    expect(created.extra.url).toMatch(new RegExp(`^${BASE}/p/[A-Za-z0-9_-]{43}$`));
    const page = bodyOf<{ links: { id: string; state: string }[] }>(
      await run(routes.customer?.loader, get('/', 'admin'), { id: customer.id }),
    );
    expect(JSON.stringify(page)).not.toContain(created.extra.url);
    const link = page.links[0];
    expect(link?.state).toBe('live');
    const revoked = await run(
      routes.customer?.action,
      post('/', 'admin', { intent: 'revoke-link', linkId: link?.id ?? '' }),
      {
        id: customer.id,
      },
    );
    expect(statusOf(revoked)).toBe(200);
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('organization_id', '=', organizationId)
      .where('action', 'like', 'portal_link.%')
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['portal_link.created', 'portal_link.revoked']);
  });

  it('shows an admin validation errors per field for a policy and a template, and saves nothing', async () => {
    const id = await policyId();
    const badPolicy = await run(
      routes.policy?.action,
      post('/', 'admin', {
        name: 'Default',
        'sendWindow.start': '09:00',
        'sendWindow.end': '17:00',
        promiseGraceDays: '2',
        maxPromiseDays: '30',
        stepCount: '1',
        'steps[0].key': 'first',
        'steps[0].anchor': 'due_date',
        'steps[0].offsetDays': 'soon',
        'steps[0].channel': 'email',
        'steps[0].templateKey': 'first-reminder',
        'steps[0].escalation': 'courteous',
      }),
      { id },
    );
    expect(statusOf(badPolicy)).toBe(400);
    expect(Object.keys(bodyOf<{ fields: Record<string, string> }>(badPolicy).fields)).toContain(
      'steps[0].offsetDays',
    );

    const badTemplate = await run(
      routes.templates?.action,
      post('/', 'admin', {
        intent: 'save',
        key: 'k',
        channel: 'email',
        locale: 'en',
        subject: 'Hi',
        body: '{{nope}}',
      }),
    );
    expect(statusOf(badTemplate)).toBe(400);
    expect(bodyOf<{ fields: Record<string, string> }>(badTemplate).fields.body).toMatch(/unknown variable/);
    const stored = await db
      .selectFrom('templates')
      .select('id')
      .where('organization_id', '=', organizationId)
      .execute();
    expect(stored).toHaveLength(0);

    const saved = await run(
      routes.templates?.action,
      post('/', 'admin', {
        intent: 'save',
        key: 'courtesy-note',
        channel: 'email',
        locale: 'en',
        subject: 'About {{invoice.number}}',
        body: 'Dear {{customer.name}}',
      }),
    );
    expect(statusOf(saved)).toBe(200);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'data'])
      .where('organization_id', '=', organizationId)
      .where('action', '=', 'template.saved')
      .execute();
    expect(audit).toEqual([
      { action: 'template.saved', data: { key: 'courtesy-note', channel: 'email', locale: 'en' } },
    ]);
  });

  it('lets an admin create a policy as a copy of the default, and no one else', async () => {
    await policyId();
    expect(
      statusOf(await run(routes.policies?.action, post('/', 'collector', { name: 'Key accounts' }))),
    ).toBe(403);
    const created = await run(
      routes.policies?.action,
      post('/', 'admin', { name: 'Key accounts', segment: 'key' }),
    );
    expect(statusOf(created)).toBe(302);
    const row = await db
      .selectFrom('reminder_policies')
      .select(['id', 'segment', 'is_default'])
      .where('organization_id', '=', organizationId)
      .where('name', '=', 'Key accounts')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ segment: 'key', is_default: false });
    expect((created as Response).headers.get('Location')).toBe(`/finance/policies/${row.id}`);
    const again = await run(
      routes.policies?.action,
      post('/', 'admin', { name: 'Key accounts', segment: 'key' }),
    );
    expect(statusOf(again)).toBe(409);
  });

  it('previews a template against a real invoice for every role, writing nothing', async () => {
    await upsertTemplate(db, {
      organization_id: organizationId,
      key: 'first-reminder',
      channel: 'email',
      locale: 'en',
      subject: 'Invoice {{invoice.number}}',
      body: 'Dear {{customer.name}}, {{invoice.balance}} is {{invoice.daysOverdue}} days overdue.',
    });
    const preview = bodyOf<{ preview: { ok: boolean; subject: string; text: string } }>(
      await run(
        routes.templates?.action,
        post('/', 'viewer', {
          intent: 'preview',
          invoiceId: invoice.id,
          locale: 'en',
          subject: 'Invoice {{invoice.number}}',
          body: 'Dear {{customer.name}}, you owe {{invoice.balance}}.',
        }),
      ),
    ).preview;
    expect(preview).toMatchObject({ ok: true, subject: 'Invoice INV-1' });
    expect(preview.text).toContain(customer.name);
    expect(preview.text).toContain('123.45');
  });
});

describe('aging CSV export', () => {
  it('matches the aging report: one row per customer and currency, totals per currency, exact decimals', async () => {
    const report = await getAgingReport(db, { organizationId });
    const response = (await run(routes.agingCsv?.loader, get('/finance/aging.csv', 'viewer'))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const csv = await response.text();
    expect(csv).toBe(agingReportCsv(report));

    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'as_of,currency,customer_code,customer_name,current,days_1_30,days_31_60,days_61_90,days_over_90,total,invoices',
    );
    expect(lines).toHaveLength(1 + report.customers.length + report.currencies.length);
    const eur = report.currencies.find((c) => c.currency === 'EUR');
    expect(eur?.totalMinor).toBe(3 * 12_345);
    const total = lines.find((l) => l.includes(',TOTAL,'));
    expect(total).toBe(
      `${report.asOf},EUR,,TOTAL,${[
        eur?.buckets.current,
        eur?.buckets.d1_30,
        eur?.buckets.d31_60,
        eur?.buckets.d61_90,
        eur?.buckets.d90_plus,
      ]
        .map((v) => ((v ?? 0) / 100).toFixed(2))
        .join(',')},370.35,3`,
    );
    // Names with quotes and commas are quoted; a leading = cannot become a spreadsheet formula.
    expect(csv).toContain(`"'=HYPERLINK(""x"")","Quote, ""Comma"" & Co",`);
  });
});
