import { databaseEnv, loadConfig } from '@settle/config';
import { createPortalLink, DEBTOR_RATE_LIMITS, hashToken } from '@settle/core';
import { type Customer, type Db, type Invoice, insertCustomer, insertInvoice, openDispute } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The debtor portal's access rules, through the real route loaders and actions over a real database:
 * links, sessions, customer scoping, CSRF and rate limits. Temporal points at a closed port: none of
 * these paths may reach it (every request here is refused before anything is written or signalled).
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
const BASE = 'http://localhost:3000';
let testDb: TestDatabase;
let db: Db;
let organizationId: string;
let customer: Customer;
let other: Customer;
let invoice: Invoice;
let otherInvoice: Invoice;

type Loader = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => Promise<unknown>;
type Routes = {
  link: { loader: Loader; action: Loader };
  statement: { loader: Loader };
  invoice: { loader: Loader };
  pdf: { loader: Loader };
  payment: { loader: Loader };
  dispute: { action: Loader };
  promise: { action: Loader };
  pay: { action: Loader };
};
let routes: Routes;

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
  other = await insertCustomer(db, {
    organization_id: organizationId,
    code: 'OTHER-1',
    name: 'Other Customer Ltd',
    email: 'ap@other.example',
    country: 'GB',
    locale: 'en',
    time_zone: 'Europe/London',
  });
  const invoiceOf = (c: Customer, number: string) =>
    insertInvoice(db, {
      organization_id: organizationId,
      customer_id: c.id,
      number,
      currency: 'EUR',
      total_minor: 12_345,
      issue_date: '2026-10-01',
      due_date: '2026-10-31',
      lines: [
        { description: 'Consulting', quantity_milli: 1000, unit_price_minor: 12_345, total_minor: 12_345 },
      ],
    });
  invoice = await invoiceOf(customer, 'INV-1');
  otherInvoice = await invoiceOf(other, 'INV-OTHER');
  routes = {
    link: await import('../routes/p.$token'),
    statement: await import('../routes/p._index'),
    invoice: await import('../routes/p.invoices.$invoiceId'),
    pdf: await import('../routes/p.invoices.$invoiceId[.pdf]'),
    payment: await import('../routes/p.payments.$attemptId'),
    dispute: await import('../routes/p.dispute'),
    promise: await import('../routes/p.promise'),
    pay: await import('../routes/p.pay'),
  } as unknown as Routes;
});
afterAll(async () => {
  await testDb?.drop();
});

/** Runs a loader or action; a thrown Response (redirect, 404, 403) is returned like a returned one. */
async function run(fn: Loader, request: Request, params: Record<string, string> = {}): Promise<unknown> {
  try {
    return await fn({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    // `throw data(...)`: an error page that carries data (the page language) and a status.
    if (typeof thrown === 'object' && thrown !== null && 'init' in thrown) return thrown;
    throw thrown;
  }
}

function asResponse(value: unknown): Response {
  expect(value).toBeInstanceOf(Response);
  return value as Response;
}

/** `data()` results carry their status in `init`. */
function statusOf(value: unknown): number {
  if (value instanceof Response) return value.status;
  const init = (value as { init?: { status?: number } }).init;
  return init?.status ?? 200;
}

async function newLink(c: Customer, now = new Date(), ttlDays?: number) {
  return createPortalLink(db, {
    organizationId,
    customerId: c.id,
    baseUrl: BASE,
    now,
    ...(ttlDays === undefined ? {} : { ttlDays }),
  });
}

/** Opens a link the way a browser does and returns the session cookie (`name=value`). */
async function signIn(c: Customer): Promise<{ cookie: string; linkId: string; token: string }> {
  const link = await newLink(c);
  const response = asResponse(
    await run(routes.link.loader, new Request(`${BASE}/p/${link.token}`), { token: link.token }),
  );
  expect(response.status).toBe(302);
  const setCookie = response.headers.get('Set-Cookie') ?? '';
  const row = await db
    .selectFrom('portal_links')
    .select('id')
    .where('token_hash', '=', hashToken(link.token))
    .executeTakeFirstOrThrow();
  return { cookie: setCookie.split(';')[0] ?? '', linkId: row.id, token: link.token };
}

function get(path: string, cookie: string): Request {
  return new Request(`${BASE}${path}`, { headers: { Cookie: cookie } });
}

function post(path: string, cookie: string, fields: Record<string, string | string[]>): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  return new Request(`${BASE}${path}`, { method: 'POST', body: form, headers: { Cookie: cookie } });
}

async function csrfOf(cookie: string): Promise<string> {
  const { requireDebtor } = await import('./debtor-session.server');
  return (await requireDebtor(get('/p', cookie))).csrfToken;
}

const count = async (
  table: 'disputes' | 'promises_to_pay' | 'payment_attempts' | 'communications' | 'portal_links',
) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('opening a portal link', () => {
  it('opens a session for its customer without consuming the link: HttpOnly, SameSite=Lax, path /', async () => {
    const link = await newLink(customer);
    for (let i = 0; i < 2; i++) {
      const response = asResponse(
        await run(routes.link.loader, new Request(`${BASE}/p/${link.token}`), { token: link.token }),
      );
      expect(response.status).toBe(302);
      expect(response.headers.get('Location')).toBe('/p');
      const cookie = response.headers.get('Set-Cookie') ?? '';
      expect(cookie).toMatch(/^settle_debtor=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/i); // the portal runs on http here
    }
    const stored = await db
      .selectFrom('portal_links')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .execute();
    expect(stored.every((l) => l.revoked_at === null)).toBe(true);
    expect(stored.some((l) => l.last_used_at !== null)).toBe(true); // recorded for finance, nothing more
    expect(stored.map((l) => l.token_hash)).not.toContain(link.token);
  });

  it('shows the "link not recognised" page (404, no session) for a tampered token', async () => {
    const link = await newLink(customer);
    const tampered = `${link.token.slice(0, -2)}xx`;
    const result = await run(routes.link.loader, new Request(`${BASE}/p/${tampered}`), { token: tampered });
    expect(statusOf(result)).toBe(404);
    expect((result as { data: { status: string } }).data.status).toBe('unknown');
  });

  it('shows the expired page (410) for an expired link and the revoked page for a revoked one', async () => {
    const old = await newLink(customer, new Date(Date.now() - 31 * 86_400_000));
    const expired = await run(routes.link.loader, new Request(`${BASE}/p/${old.token}`), {
      token: old.token,
    });
    expect(statusOf(expired)).toBe(410);
    expect((expired as { data: { status: string } }).data.status).toBe('expired');

    const revokedLink = await newLink(customer);
    await db
      .updateTable('portal_links')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', hashToken(revokedLink.token))
      .execute();
    const revoked = await run(routes.link.loader, new Request(`${BASE}/p/${revokedLink.token}`), {
      token: revokedLink.token,
    });
    expect(statusOf(revoked)).toBe(410);
    expect((revoked as { data: { status: string } }).data.status).toBe('revoked');
  });
});

describe('debtor sessions', () => {
  it('shows the statement of the session customer only', async () => {
    const { cookie } = await signIn(customer);
    const result = (await run(routes.statement.loader, get('/p', cookie))) as {
      statement: { openInvoices: { number: string }[]; creditor: { bank: { iban: string } } };
      locale: string;
    };
    expect(result.statement.openInvoices.map((i) => i.number)).toEqual(['INV-1']);
    expect(result.statement.creditor.bank.iban).toBe('PL61109010140000071219812874');
    expect(result.locale).toBe('de'); // the customer's locale on file
  });

  it('sends a request without a session, or with a tampered cookie, to the signed-out page', async () => {
    const none = asResponse(await run(routes.statement.loader, get('/p', '')));
    expect(none.status).toBe(302);
    expect(none.headers.get('Location')).toBe('/p/signed-out');
    const { cookie } = await signIn(customer);
    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const response = asResponse(await run(routes.statement.loader, get('/p', tampered)));
    expect(response.headers.get('Location')).toBe('/p/signed-out');
  });

  it('ends the session as soon as finance revokes the link that opened it', async () => {
    const { cookie, linkId } = await signIn(customer);
    expect(await run(routes.statement.loader, get('/p', cookie))).not.toBeInstanceOf(Response);
    await db.updateTable('portal_links').set({ revoked_at: new Date() }).where('id', '=', linkId).execute();
    const response = asResponse(await run(routes.statement.loader, get('/p', cookie)));
    expect(response.headers.get('Location')).toBe('/p/signed-out');
  });

  it('remembers ?lang=fr in a cookie and shows the page in French', async () => {
    const { cookie } = await signIn(customer);
    const switched = asResponse(await run(routes.statement.loader, get('/p?lang=fr', cookie)));
    expect(switched.headers.get('Location')).toBe('/p');
    const lang = (switched.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    expect(lang).toMatch(/^settle_lang=/);
    const result = (await run(routes.statement.loader, get('/p', `${cookie}; ${lang}`))) as {
      locale: string;
    };
    expect(result.locale).toBe('fr');
  });
});

describe("another customer's records", () => {
  it("answers 404 for another customer's invoice, its PDF, and a malformed id", async () => {
    const { cookie } = await signIn(customer);
    const page = await run(routes.invoice.loader, get(`/p/invoices/${otherInvoice.id}`, cookie), {
      invoiceId: otherInvoice.id,
    });
    expect(statusOf(page)).toBe(404);
    expect((page as { data: { locale: string } }).data.locale).toBe('de'); // the error page speaks German
    const pdf = asResponse(
      await run(routes.pdf.loader, get(`/p/invoices/${otherInvoice.id}.pdf`, cookie), {
        invoiceId: otherInvoice.id,
      }),
    );
    expect(pdf.status).toBe(404);
    const malformed = await run(routes.invoice.loader, get('/p/invoices/nope', cookie), {
      invoiceId: 'nope',
    });
    expect(statusOf(malformed)).toBe(404);
    const own = (await run(routes.invoice.loader, get(`/p/invoices/${invoice.id}`, cookie), {
      invoiceId: invoice.id,
    })) as {
      invoice: { invoice: { number: string }; lines: unknown[] };
    };
    expect(own.invoice.invoice.number).toBe('INV-1');
    expect(own.invoice.lines).toHaveLength(1);
  });

  it("answers 404 for another customer's payment attempt", async () => {
    const attempt = await db
      .insertInto('payment_attempts')
      .values({
        organization_id: organizationId,
        customer_id: other.id,
        provider: 'local',
        kind: 'checkout_session',
        invoice_ids: [otherInvoice.id],
        amount_minor: 12_345,
        currency: 'EUR',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { cookie } = await signIn(customer);
    const response = await run(routes.payment.loader, get(`/p/payments/${attempt.id}`, cookie), {
      attemptId: attempt.id,
    });
    expect(statusOf(response)).toBe(404);
  });

  it("refuses to dispute, promise or pay another customer's invoice (404, nothing written)", async () => {
    const { cookie } = await signIn(customer);
    const csrf = await csrfOf(cookie);
    const before = [await count('disputes'), await count('promises_to_pay'), await count('payment_attempts')];
    const dispute = asResponse(
      await run(
        routes.dispute.action,
        post('/p/dispute', cookie, { csrf, invoiceIds: otherInvoice.id, reason: 'other', message: 'x' }),
      ),
    );
    expect(dispute.status).toBe(404);
    const promise = asResponse(
      await run(
        routes.promise.action,
        post('/p/promise', cookie, {
          csrf,
          invoiceIds: otherInvoice.id,
          date: new Date().toISOString().slice(0, 10),
        }),
      ),
    );
    expect(promise.status).toBe(404);
    const pay = asResponse(
      await run(
        routes.pay.action,
        post('/p/pay', cookie, { csrf, scope: 'invoices', invoiceIds: otherInvoice.id, method: 'card' }),
      ),
    );
    expect(pay.status).toBe(404);
    expect([
      await count('disputes'),
      await count('promises_to_pay'),
      await count('payment_attempts'),
    ]).toEqual(before);
  });
});

describe('CSRF', () => {
  it('refuses every debtor action with a missing or wrong token (403) and writes nothing', async () => {
    const { cookie } = await signIn(customer);
    const other = await signIn(customer); // a valid token, but of another session
    const otherCsrf = await csrfOf(other.cookie);
    const before = [await count('disputes'), await count('promises_to_pay'), await count('payment_attempts')];
    for (const csrf of [undefined, 'forged', otherCsrf]) {
      const extra: Record<string, string> = csrf ? { csrf } : {};
      const requests: [Loader, Request][] = [
        [
          routes.dispute.action,
          post('/p/dispute', cookie, { ...extra, invoiceIds: invoice.id, reason: 'other', message: 'x' }),
        ],
        [
          routes.promise.action,
          post('/p/promise', cookie, { ...extra, invoiceIds: invoice.id, date: '2026-12-01' }),
        ],
        [
          routes.pay.action,
          post('/p/pay', cookie, { ...extra, scope: 'invoices', invoiceIds: invoice.id, method: 'card' }),
        ],
      ];
      for (const [action, request] of requests) {
        expect(asResponse(await run(action, request)).status).toBe(403);
      }
    }
    expect([
      await count('disputes'),
      await count('promises_to_pay'),
      await count('payment_attempts'),
    ]).toEqual(before);
  });

  it('refuses a fresh-link request without the token of the page that offered it', async () => {
    const old = await newLink(customer, new Date(Date.now() - 31 * 86_400_000));
    const before = await count('communications');
    const response = asResponse(
      await run(routes.link.action, post(`/p/${old.token}`, '', { csrf: 'forged' }), { token: old.token }),
    );
    expect(response.status).toBe(403);
    expect(await count('communications')).toBe(before);
  });
});

describe('rate limits per customer', () => {
  it('refuses disputes, promises and payment starts beyond the limit (429) and writes nothing', async () => {
    const limited = await insertCustomer(db, {
      organization_id: organizationId,
      code: 'BUSY-1',
      name: 'Busy Buyer',
      email: 'ap@busy.example',
      country: 'DE',
      locale: 'de',
      time_zone: 'Europe/Berlin',
    });
    const invoices: Invoice[] = [];
    for (let i = 0; i < DEBTOR_RATE_LIMITS.dispute.max + 1; i++) {
      invoices.push(
        await insertInvoice(db, {
          organization_id: organizationId,
          customer_id: limited.id,
          number: `BUSY-${i}`,
          currency: 'EUR',
          total_minor: 1000,
          issue_date: '2026-10-01',
          due_date: '2026-10-31',
          lines: [],
        }),
      );
    }
    const ids = { organizationId, customerId: limited.id };
    // The allowance used up in the last hour: disputes, promises and payment attempts already made.
    for (const inv of invoices.slice(0, DEBTOR_RATE_LIMITS.dispute.max)) {
      await openDispute(db, { ...ids, invoiceId: inv.id, reason: 'other', message: 'seeded' });
    }
    for (let i = 0; i < DEBTOR_RATE_LIMITS.promise.max; i++) {
      await db
        .insertInto('promises_to_pay')
        .values({
          organization_id: organizationId,
          customer_id: limited.id,
          invoice_id: invoices[0]?.id ?? '',
          promised_date: '2026-12-01',
          status: 'cancelled',
        })
        .execute();
    }
    for (let i = 0; i < DEBTOR_RATE_LIMITS.payment_start.max; i++) {
      await db
        .insertInto('payment_attempts')
        .values({
          organization_id: organizationId,
          customer_id: limited.id,
          provider: 'local',
          kind: 'checkout_session',
          invoice_ids: [invoices[0]?.id ?? ''],
          amount_minor: 1000,
          currency: 'EUR',
        })
        .execute();
    }
    const last = invoices.at(-1)?.id ?? '';
    const { cookie } = await signIn(limited);
    const csrf = await csrfOf(cookie);
    const before = [await count('disputes'), await count('promises_to_pay'), await count('payment_attempts')];

    const dispute = await run(
      routes.dispute.action,
      post('/p/dispute', cookie, { csrf, invoiceIds: last, reason: 'other', message: 'again' }),
    );
    expect(statusOf(dispute)).toBe(429);
    const promise = await run(
      routes.promise.action,
      post('/p/promise', cookie, { csrf, invoiceIds: last, date: new Date().toISOString().slice(0, 10) }),
    );
    expect(statusOf(promise)).toBe(429);
    const pay = await run(
      routes.pay.action,
      post('/p/pay', cookie, { csrf, scope: 'invoices', invoiceIds: last, method: 'card' }),
    );
    expect(statusOf(pay)).toBe(429);
    expect([
      await count('disputes'),
      await count('promises_to_pay'),
      await count('payment_attempts'),
    ]).toEqual(before);
  });

  it('gives the same answer to fresh-link requests beyond the limit, and sends nothing more', async () => {
    const old = await newLink(other, new Date(Date.now() - 31 * 86_400_000));
    for (let i = 0; i < DEBTOR_RATE_LIMITS.link_request.max; i++) {
      await db
        .insertInto('communications')
        .values({
          organization_id: organizationId,
          customer_id: other.id,
          idempotency_key: `seeded-link-${i}`,
          step_key: 'portal-link',
          channel: 'email',
          locale: 'en',
          recipient: 'ap@other.example',
          body_text: 'seeded',
          provider: 'outbox',
        })
        .execute();
    }
    const page = (await run(routes.link.loader, new Request(`${BASE}/p/${old.token}`), {
      token: old.token,
    })) as {
      data: { csrf: string };
    };
    const before = [await count('communications'), await count('portal_links')];
    const answer = await run(routes.link.action, post(`/p/${old.token}`, '', { csrf: page.data.csrf }), {
      token: old.token,
    });
    expect(answer).toEqual({ requested: true });
    expect([await count('communications'), await count('portal_links')]).toEqual(before);
  });

  it('answers a fresh-link request for an unknown token exactly like a known one, and writes nothing', async () => {
    const token = 'x'.repeat(43);
    const page = (await run(routes.link.loader, new Request(`${BASE}/p/${token}`), { token })) as {
      data: { csrf: string };
    };
    const before = [await count('communications'), await count('portal_links')];
    const answer = await run(routes.link.action, post(`/p/${token}`, '', { csrf: page.data.csrf }), {
      token,
    });
    expect(answer).toEqual({ requested: true });
    expect([await count('communications'), await count('portal_links')]).toEqual(before);
  });
});
