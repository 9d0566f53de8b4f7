import { databaseEnv, loadConfig } from '@settle/config';
import { hashPassword, signInStaff, toReminderPolicy } from '@settle/core';
import { type Db, getReminderPolicy, insertUser, type UserRole } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { SMS_SCENARIO_POLICY } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The finance console's policy pages through their real loaders and actions over a real database:
 * a policy from a preset in one action, the editor's settings, and the refusal of a policy whose
 * templates are incomplete. The tenant has no open invoices, so saving re-plans nothing and Temporal
 * (a closed port) is never reached.
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
const BASE = 'http://localhost:3000';
let testDb: TestDatabase;
let db: Db;
let organizationId: string;
const cookies = {} as Record<UserRole, string>;

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => Promise<unknown>;
type Route = { loader?: Handler; action?: Handler };
let policies: Route;
let policy: Route;

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
  // The organization writes in English; its one customer reads German.
  const tenant = await seedTenant(db);
  organizationId = tenant.organization.id;
  for (const role of ['collector', 'admin'] as const) cookies[role] = await staffCookie(role);
  policies = (await import('../routes/finance.policies._index')) as unknown as Route;
  policy = (await import('../routes/finance.policies.$id')) as unknown as Route;
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
  return (value as { init?: { status?: number } | null }).init?.status ?? 200;
}

function bodyOf<T>(value: unknown): T {
  return ((value as { data?: T }).data ?? value) as T;
}

function post(role: UserRole, fields: Record<string, string>): Request {
  return new Request(`${BASE}/finance/policies`, {
    method: 'POST',
    headers: { Cookie: cookies[role], 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

const storedPolicy = async (id: string) => {
  const row = await getReminderPolicy(db, organizationId, id);
  if (!row) throw new Error(`policy ${id} not stored`);
  return { name: row.name, policy: toReminderPolicy(row) };
};

/** The editor's form for a policy, as the page would post it back unchanged. */
function editorFields(name: string, rules: typeof SMS_SCENARIO_POLICY): Record<string, string> {
  const fields: Record<string, string> = {
    name,
    'sendWindow.start': rules.sendWindow.start,
    'sendWindow.end': rules.sendWindow.end,
    promiseGraceDays: String(rules.promiseGraceDays),
    maxPromiseDays: String(rules.maxPromiseDays),
    maxPromiseRenewals: String(rules.maxPromiseRenewals),
    lateChargesJurisdiction: rules.lateChargesJurisdiction,
    stepCount: String(rules.steps.length),
  };
  if (rules.lateCharges) fields.lateCharges = 'on';
  if (rules.mergeAcrossChannels) fields.mergeAcrossChannels = 'on';
  if (rules.businessDaysOnly) fields.businessDaysOnly = 'on';
  rules.steps.forEach((step, i) => {
    const p = `steps[${i}]`;
    Object.assign(fields, {
      [`${p}.key`]: step.key,
      [`${p}.anchor`]: step.anchor,
      [`${p}.offsetDays`]: String(step.offsetDays),
      [`${p}.channel`]: step.channel,
      [`${p}.templateKey`]: step.templateKey,
      [`${p}.escalation`]: step.escalation,
      [`${p}.minBalanceMinor`]: String(step.minBalanceMinor),
      ...(step.onlyWhenOverdue ? { [`${p}.onlyWhenOverdue`]: 'on' } : {}),
      ...(step.onlyIfUnpaidSincePrevious ? { [`${p}.onlyIfUnpaidSincePrevious`]: 'on' } : {}),
      ...(step.repeat ? { [`${p}.repeat.everyDays`]: String(step.repeat.everyDays) } : {}),
      ...(step.repeat?.maxTimes ? { [`${p}.repeat.maxTimes`]: String(step.repeat.maxTimes) } : {}),
      ...(step.repeat?.untilOffsetDays !== undefined
        ? { [`${p}.repeat.untilOffsetDays`]: String(step.repeat.untilOffsetDays) }
        : {}),
    });
  });
  return fields;
}

describe('finance console: policies', () => {
  let smsPolicyId = '';

  it('creates a policy from the SMS scenario preset in one action and opens its editor', async () => {
    const page = bodyOf<{ presets: { id: string }[] }>(
      await run(
        policies.loader,
        new Request(`${BASE}/finance/policies`, { headers: { Cookie: cookies.admin } }),
      ),
    );
    expect(page.presets.map((p) => p.id)).toEqual(['default', 'sms-scenario']);
    expect(
      statusOf(await run(policies.action, post('collector', { intent: 'preset', preset: 'sms-scenario' }))),
    ).toBe(403);

    const created = await run(policies.action, post('admin', { intent: 'preset', preset: 'sms-scenario' }));
    expect(statusOf(created)).toBe(302);
    const row = await db
      .selectFrom('reminder_policies')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('name', '=', 'SMS scenario')
      .executeTakeFirstOrThrow();
    smsPolicyId = row.id;
    expect((created as Response).headers.get('Location')).toBe(`/finance/policies/${row.id}`);
    expect(await storedPolicy(row.id)).toEqual({ name: 'SMS scenario', policy: SMS_SCENARIO_POLICY });

    // The preset's name is taken now: the same action is refused on the name, a new name works.
    const again = await run(policies.action, post('admin', { intent: 'preset', preset: 'sms-scenario' }));
    expect(statusOf(again)).toBe(409);
    expect(bodyOf<{ intent: string; fields: Record<string, string> }>(again)).toMatchObject({
      intent: 'preset',
      fields: { name: expect.any(String) },
    });
    const named = await run(
      policies.action,
      post('admin', { intent: 'preset', preset: 'sms-scenario', name: 'SMS (retail)', segment: 'retail' }),
    );
    expect(statusOf(named)).toBe(302);
    const unknown = await run(policies.action, post('admin', { intent: 'preset', preset: 'fax' }));
    expect(statusOf(unknown)).toBe(400);
    expect(Object.keys(bodyOf<{ fields: Record<string, string> }>(unknown).fields)).toEqual(['preset']);

    // Without the intent the page still makes a copy of the default policy.
    expect(statusOf(await run(policies.action, post('admin', { name: 'Plain copy' })))).toBe(302);
  });

  it('edits the promise renewals, the cross-channel merge, business days and the late-payment rules in the editor', async () => {
    const params = { id: smsPolicyId };
    const editor = bodyOf<{
      policy: typeof SMS_SCENARIO_POLICY;
      options: { jurisdictions: { id: string }[] };
    }>(await run(policy.loader, new Request(`${BASE}/`, { headers: { Cookie: cookies.admin } }), params));
    expect(editor.policy).toEqual(SMS_SCENARIO_POLICY);
    expect(editor.options.jurisdictions.map((j) => j.id)).toEqual(['auto', 'eu', 'de', 'fr', 'pl', 'uk']);

    const changed = {
      ...SMS_SCENARIO_POLICY,
      maxPromiseRenewals: 2,
      mergeAcrossChannels: true,
      businessDaysOnly: false,
      lateChargesJurisdiction: 'pl' as const,
    };
    const saved = await run(policy.action, post('admin', editorFields('SMS scenario', changed)), params);
    expect(statusOf(saved)).toBe(200);
    expect((await storedPolicy(smsPolicyId)).policy).toEqual(changed);

    const bad = await run(
      policy.action,
      post('admin', {
        ...editorFields('SMS scenario', changed),
        maxPromiseRenewals: '11',
        lateChargesJurisdiction: 'mars',
      }),
      params,
    );
    expect(statusOf(bad)).toBe(400);
    expect(Object.keys(bodyOf<{ fields: Record<string, string> }>(bad).fields).sort()).toEqual([
      'lateChargesJurisdiction',
      'maxPromiseRenewals',
    ]);
    expect((await storedPolicy(smsPolicyId)).policy).toEqual(changed);
  });

  it('refuses to save a step whose template is missing in a language the customers use, changing nothing', async () => {
    const before = await storedPolicy(smsPolicyId);
    // Step 2 is the due-day SMS; 'overdue' exists only as an e-mail template.
    const steps = before.policy.steps.map((step, i) =>
      i === 2 ? { ...step, templateKey: 'overdue' } : step,
    );
    const result = await run(
      policy.action,
      post('admin', editorFields('SMS scenario', { ...before.policy, steps })),
      { id: smsPolicyId },
    );
    expect(statusOf(result)).toBe(400);
    expect(bodyOf<{ fields: Record<string, string> }>(result).fields).toEqual({
      'steps[2].templateKey': "no sms template 'overdue' in de, en",
    });
    expect(await storedPolicy(smsPolicyId)).toEqual(before);
  });
});
