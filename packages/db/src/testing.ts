import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from './client';
import { migrateToLatest } from './migrate';
import { insertCustomer } from './queries/customers';
import { insertOrganization } from './queries/organizations';
import type { Customer, NewCustomer, NewOrganization, Organization } from './schema';

/**
 * Test databases: a template migrated once per run (by the test runner's global set-up), and a fresh
 * copy of it per test file, so files run in parallel without seeing each other's rows. Names derive
 * from the admin URL's database (`settle` → `settle_test_*`), so runs against different admin
 * databases on one cluster never drop each other's copies.
 */

function testNames(adminUrl: string): { prefix: string; template: string } {
  const base = new URL(adminUrl).pathname.replace(/^\//, '') || 'settle';
  return { prefix: `${base}_test_`, template: `${base}_test_template` };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Drops test databases left by earlier runs, then recreates and migrates the template. */
export async function prepareTestTemplate(adminUrl: string): Promise<void> {
  const { prefix, template } = testNames(adminUrl);
  await admin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix.replaceAll('_', '\\_')}%`],
    );
    for (const { datname } of rows) await dropDatabase(adminUrl, datname);
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const db = createDb({ connectionString: withDatabase(adminUrl, template), maxConnections: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

export interface TestDatabase {
  db: Db;
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * Drops a test database. FORCE ends leftover connections; an autovacuum worker in it can only be
 * stopped by a role with pg_signal_backend (the set-up grants it), so elsewhere wait for it to finish.
 */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return;
      } catch (error) {
        const busy =
          error instanceof Error && /pg_signal_backend|being accessed by other users/.test(error.message);
        if (!busy || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });
}

/** A fresh, migrated database copied from the template. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const { prefix, template } = testNames(adminUrl);
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        // Two copies starting at the same instant can see each other on the template; try again.
        const busy = error instanceof Error && /being accessed by other users/.test(error.message);
        if (!busy || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  const url = withDatabase(adminUrl, name);
  const db = createDb({ connectionString: url, maxConnections: 5 });
  return {
    db,
    url,
    async drop() {
      await db.destroy();
      await dropDatabase(adminUrl, name);
    },
  };
}

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;

/** Seeds one tenant (organization + customer) with sensible defaults; overrides win. */
export async function seedTenant(
  db: Db,
  overrides: { customer?: Partial<NewCustomer>; organization?: Partial<NewOrganization> } = {},
): Promise<{ organization: Organization; customer: Customer }> {
  const suffix = unique();
  const organization = await insertOrganization(db, {
    slug: `org-${suffix}`,
    name: 'Acme Supplies',
    legal_name: 'Acme Supplies Sp. z o.o.',
    vat_number: 'PL5260001234',
    registration_number: 'KRS 0000123456',
    address_line1: 'ul. Prosta 1',
    postal_code: '00-838',
    city: 'Warszawa',
    country: 'PL',
    bank_account_holder: 'Acme Supplies Sp. z o.o.',
    bank_iban: 'PL61109010140000071219812874',
    bank_bic: 'WBKPPLPP',
    sender_name: 'Acme Accounts Receivable',
    sender_email: 'ar@acme.example',
    signatory_name: 'Anna Nowak',
    default_currency: 'EUR',
    default_locale: 'en',
    default_time_zone: 'Europe/Warsaw',
    ...overrides.organization,
  });
  const customer = await insertCustomer(db, {
    organization_id: organization.id,
    code: `C-${suffix}`,
    name: 'Globex GmbH',
    email: 'ap@globex.example',
    phone: '+4930123456',
    address_line1: 'Friedrichstraße 10',
    postal_code: '10117',
    city: 'Berlin',
    country: 'DE',
    locale: 'de',
    time_zone: 'Europe/Berlin',
    ...overrides.customer,
  });
  return { organization, customer };
}
