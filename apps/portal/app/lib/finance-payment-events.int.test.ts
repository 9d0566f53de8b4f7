import { randomUUID } from 'node:crypto';
import { databaseEnv, loadConfig } from '@settle/config';
import { hashPassword, signInStaff } from '@settle/core';
import { type Db, insertUser, type UserRole } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The finance console's page of payment events not applied, through its real loader and action over a
 * real database. Temporal points at a closed port: the page still lists what the database knows, and a
 * re-run says the workflow service is unreachable instead of failing the page (the re-run that starts
 * a workflow is tested against a real server in the API and worker suites).
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
const BASE = 'http://localhost:3000';
let testDb: TestDatabase;
let db: Db;
let organizationId: string;
let strangerOrganizationId: string;
const cookies = {} as Record<UserRole, string>;
type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => Promise<unknown>;
let page: { loader: Handler; action: Handler };

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

async function storedEvent(orgId: string, options: { minutesAgo: number; processed?: boolean }) {
  const receivedAt = new Date(Date.now() - options.minutesAgo * 60_000);
  return db
    .insertInto('webhook_events')
    .values({
      provider: 'gocardless',
      event_id: `EV${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
      type: 'payments.confirmed',
      organization_id: orgId,
      payload: JSON.stringify({}),
      received_at: receivedAt,
      processed_at: options.processed ? receivedAt : null,
      error: 'payment PM123 is not known yet',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = testDb.db;
  process.env.DATABASE_URL = testDb.url;
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  process.env.PORTAL_BASE_URL = BASE;
  process.env.PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES = '30';
  organizationId = (await seedTenant(db)).organization.id;
  strangerOrganizationId = (await seedTenant(db)).organization.id;
  for (const role of ['viewer', 'collector'] as const) cookies[role] = await staffCookie(role);
  page = (await import('../routes/finance.payment-events')) as unknown as typeof page;
});
afterAll(async () => {
  await testDb?.drop();
});

async function run(handler: Handler, request: Request) {
  try {
    return await handler({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    if (thrown && typeof thrown === 'object' && 'init' in thrown) return thrown;
    throw thrown;
  }
}

function statusOf(value: unknown): number {
  if (value instanceof Response) return value.status;
  return (value as { init?: { status?: number } | null }).init?.status ?? 200;
}

function bodyOf<T>(value: unknown): T {
  return ((value as { data?: T }).data ?? value) as T;
}

const get = (role: UserRole) =>
  new Request(`${BASE}/finance/payment-events`, { headers: { Cookie: cookies[role] } });
const post = (role: UserRole, eventId: string) =>
  new Request(`${BASE}/finance/payment-events`, {
    method: 'POST',
    headers: { Cookie: cookies[role], 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ eventId }).toString(),
  });

describe('finance: payment events not applied', () => {
  it("lists its organization's events older than N minutes, with their error, even while Temporal is down", async () => {
    const old = await storedEvent(organizationId, { minutesAgo: 45 });
    await storedEvent(organizationId, { minutesAgo: 2 });
    await storedEvent(organizationId, { minutesAgo: 90, processed: true });
    await storedEvent(strangerOrganizationId, { minutesAgo: 90 });
    const body = bodyOf<{ events: { id: string; error: string; workflow: string }[]; canAct: boolean }>(
      await run(page.loader, get('viewer')),
    );
    expect(body.canAct).toBe(false);
    expect(body.events).toEqual([
      expect.objectContaining({ id: old.id, error: 'payment PM123 is not known yet', workflow: 'unknown' }),
    ]);
  });

  it('refuses the re-run to a viewer and to another organization; says so when Temporal is unreachable', async () => {
    const event = await storedEvent(organizationId, { minutesAgo: 45 });
    expect(statusOf(await run(page.action, post('viewer', event.id)))).toBe(403);
    const foreign = await storedEvent(strangerOrganizationId, { minutesAgo: 45 });
    expect(statusOf(await run(page.action, post('collector', foreign.id)))).toBe(404);
    expect(statusOf(await run(page.action, post('collector', 'not-an-id')))).toBe(404);

    const unreachable = await run(page.action, post('collector', event.id));
    expect(statusOf(unreachable)).toBe(503);
    expect(bodyOf<{ ok: boolean; message: string }>(unreachable)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/cannot be reached/),
    });
    const applied = await storedEvent(organizationId, { minutesAgo: 45, processed: true });
    expect(
      bodyOf<{ ok: boolean; message: string }>(await run(page.action, post('collector', applied.id))),
    ).toMatchObject({
      ok: true,
      message: expect.stringMatching(/applied meanwhile/),
    });
  });
});
