import { databaseEnv, loadConfig } from '@settle/config';
import { insertUser } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStaffSession } from './find-staff-session';
import { hashPassword } from './passwords';
import { signInStaff } from './sign-in-staff';
import { signOutStaff } from './sign-out-staff';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './staff-session';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
const email = 'Clerk@Acme.example';
const password = 'correct horse battery staple';

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  const { organization } = await seedTenant(testDb.db);
  await insertUser(testDb.db, {
    organization_id: organization.id,
    email,
    name: 'Clerk',
    password_hash: await hashPassword(password),
    role: 'collector',
  });
});
afterAll(async () => {
  await testDb?.drop();
});

describe('staff sessions', () => {
  it('signs in with the right password (e-mail case-insensitive) and stores only the token hash', async () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const session = await signInStaff(testDb.db, { email: 'clerk@acme.example', password, now });
    expect(session?.token).toMatch(/^[\w-]{43}$/);
    const stored = await testDb.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(session?.token);
    expect(await findStaffSession(testDb.db, { token: session?.token ?? '', now })).toMatchObject({
      role: 'collector',
    });
  });

  it('refuses a wrong password and an unknown e-mail alike', async () => {
    const now = new Date();
    expect(await signInStaff(testDb.db, { email, password: 'wrong', now })).toBeNull();
    expect(await signInStaff(testDb.db, { email: 'nobody@acme.example', password, now })).toBeNull();
  });

  it('ends a session after the idle limit, the absolute limit, or sign-out', async () => {
    const start = new Date('2026-11-23T10:00:00Z');
    const at = (ms: number) => new Date(start.getTime() + ms);
    const idle = await signInStaff(testDb.db, { email, password, now: start });
    expect(
      await findStaffSession(testDb.db, { token: idle?.token ?? '', now: at(SESSION_IDLE_MS + 1000) }),
    ).toBeNull();

    const active = await signInStaff(testDb.db, { email, password, now: start });
    const token = active?.token ?? '';
    // Kept alive by requests every 20 minutes, it still ends at the absolute limit.
    for (let t = 20 * 60_000; t < SESSION_ABSOLUTE_MS; t += 20 * 60_000) {
      expect(await findStaffSession(testDb.db, { token, now: at(t) })).not.toBeNull();
    }
    expect(await findStaffSession(testDb.db, { token, now: at(SESSION_ABSOLUTE_MS + 1) })).toBeNull();

    const other = await signInStaff(testDb.db, { email, password, now: start });
    await signOutStaff(testDb.db, { token: other?.token ?? '', now: start });
    expect(await findStaffSession(testDb.db, { token: other?.token ?? '', now: start })).toBeNull();
  });
});
