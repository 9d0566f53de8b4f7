import { databaseEnv, loadConfig } from '@settle/config';
import { type Db, insertInvoice, listAuditLog } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { DEFAULT_POLICY } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDebtorInvoice } from '../debtor-portal/get-debtor-invoice';
import { installDefaultReminders } from '../policy/install-default-reminders';
import { lateChargesForInvoice } from './late-charges-for-invoice';
import { setStatutoryRate } from './set-statutory-rate';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = testDb.db;
});
afterAll(async () => {
  await testDb?.drop();
});

const invoice = { currency: 'EUR', total_minor: 1_000_000, paid_minor: 0, due_date: '2025-06-15' };
const actor = { type: 'user' as const };

async function germanCreditor() {
  return seedTenant(db, { organization: { country: 'DE' }, customer: { country: 'PL' } });
}

describe('lateChargesForInvoice', () => {
  it('applies § 288 BGB from the built-in Basiszinssatz rows, split at 1 July', async () => {
    const { organization, customer } = await germanCreditor();
    const charges = await lateChargesForInvoice(db, {
      organization,
      customer,
      invoice,
      policy: DEFAULT_POLICY,
      asOf: '2025-07-15',
    });
    // 10 000 × (2.27 % + 9 %) × 15 / 365 = 46.315… → 46.32; (1.27 % + 9 %) × 15 / 365 = 42.2055 → 42.21.
    expect(charges).toMatchObject({
      rule: 'de',
      daysLate: 30,
      interest: { amountMinor: 8853, currency: 'EUR' },
      compensation: { amountMinor: 4000, currency: 'EUR' },
    });
    expect(charges?.periods.map((p) => [p.referenceRateBasisPoints, p.interest.amountMinor])).toEqual([
      [227, 4632],
      [127, 4221],
    ]);
  });

  it("uses the organization's own rate over the built-in row of the same day, for that organization only", async () => {
    const mine = await germanCreditor();
    const other = await germanCreditor();
    const row = await setStatutoryRate(db, {
      organizationId: mine.organization.id,
      kind: 'de_base_rate',
      validFrom: '2025-07-01',
      basisPoints: 200,
      source: 'Test correction',
      actor,
    });
    const asOf = '2025-07-15';
    const charges = await lateChargesForInvoice(db, { ...mine, invoice, policy: DEFAULT_POLICY, asOf });
    // (2.00 % + 9 %) × 15 / 365 on 10 000 = 45.2055 → 45.21.
    expect(charges?.periods[1]).toMatchObject({
      referenceRateBasisPoints: 200,
      interest: { amountMinor: 4521 },
    });
    const theirs = await lateChargesForInvoice(db, { ...other, invoice, policy: DEFAULT_POLICY, asOf });
    expect(theirs?.periods[1]?.referenceRateBasisPoints).toBe(127);
    expect(
      await listAuditLog(db, mine.organization.id, { type: 'statutory_rate', id: row.id }),
    ).toMatchObject([{ action: 'statutory_rate.created' }]);
  });

  it('is null when the policy claims no late charges, or when no statute gives a claim', async () => {
    const { organization, customer } = await germanCreditor();
    const off = { ...DEFAULT_POLICY, lateCharges: false };
    expect(
      await lateChargesForInvoice(db, { organization, customer, invoice, policy: off, asOf: '2025-07-15' }),
    ).toBeNull();
    expect(
      await lateChargesForInvoice(db, {
        organization: { ...organization, country: 'US' },
        customer: { country: 'CA' },
        invoice,
        policy: DEFAULT_POLICY,
        asOf: '2025-07-15',
      }),
    ).toBeNull();
  });

  it('follows the policy override of the jurisdiction', async () => {
    const { organization, customer } = await germanCreditor();
    const charges = await lateChargesForInvoice(db, {
      organization,
      customer,
      invoice,
      policy: { ...DEFAULT_POLICY, lateChargesJurisdiction: 'fr' },
      asOf: '2025-07-15',
    });
    // ECB 2.15 % from 1 July + 10 points.
    expect(charges).toMatchObject({
      rule: 'fr',
      periods: [{ annualRateBasisPoints: 1315 }, { annualRateBasisPoints: 1215 }],
    });
  });

  it('is UNAVAILABLE rather than guessing when the period needs a rate that is not on record', async () => {
    const { organization, customer } = await seedTenant(db, { organization: { country: 'PL' } });
    const old = { ...invoice, currency: 'PLN', due_date: '2022-03-01' };
    await expect(
      lateChargesForInvoice(db, {
        organization,
        customer,
        invoice: old,
        policy: DEFAULT_POLICY,
        asOf: '2022-04-01',
      }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('setStatutoryRate', () => {
  it('refuses a Basiszinssatz outside 1 January / 1 July, a bad kind and a rate given in percent', async () => {
    const { organization } = await germanCreditor();
    const error = await setStatutoryRate(db, {
      organizationId: organization.id,
      kind: 'de_base_rate',
      validFrom: '2025-03-01',
      basisPoints: 1.27,
      source: '',
      actor,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION' });
    const fields = (error as { options: { details: { field: string }[] } }).options.details.map(
      (d) => d.field,
    );
    expect(fields.sort()).toEqual(['basisPoints', 'source', 'validFrom']);
    await expect(
      setStatutoryRate(db, {
        organizationId: organization.id,
        kind: 'libor',
        validFrom: '2025-03-01',
        basisPoints: 100,
        source: 'x',
        actor,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('answers CONFLICT to a second rate of the same kind and day', async () => {
    const { organization } = await germanCreditor();
    const rate = {
      organizationId: organization.id,
      kind: 'nbp_eur_pln',
      validFrom: '2025-02-28',
      basisPoints: 41_000,
      source: 'NBP table A',
      actor,
    };
    await setStatutoryRate(db, rate);
    await expect(setStatutoryRate(db, rate)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('the debtor invoice page', () => {
  it('carries the statutory charges of an overdue invoice whose policy claims them', async () => {
    const { organization, customer } = await seedTenant(db, { organization: { country: 'PL' } });
    await installDefaultReminders(db, organization.id);
    const overdue = await insertInvoice(db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number: 'FV-1',
      currency: 'PLN',
      total_minor: 600_000,
      issue_date: '2025-01-01',
      due_date: '2025-01-15',
      lines: [],
    });
    await setStatutoryRate(db, {
      organizationId: organization.id,
      kind: 'nbp_eur_pln',
      validFrom: '2024-12-31',
      basisPoints: 42_730,
      source: 'NBP table A 252/A/NBP/2024',
      actor,
    });
    const view = await getDebtorInvoice(db, {
      organizationId: organization.id,
      customerId: customer.id,
      invoiceId: overdue.id,
      now: new Date('2025-02-14T12:00:00Z'),
    });
    // PLN 6 000 × (5.75 % + 10 %) × 30 / 365 = 77.67; EUR 70 × 4.2730 = PLN 299.11.
    expect(view.lateCharges).toMatchObject({
      rule: 'pl',
      daysLate: 30,
      interest: { amountMinor: 7767, currency: 'PLN' },
      compensation: { amountMinor: 29_911, currency: 'PLN' },
    });
  });
});
