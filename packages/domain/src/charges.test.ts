import { describe, expect, it } from 'vitest';
import {
  computeStatutoryLateCharges,
  type LateChargesRule,
  lateChargesRuleFor,
  lateChargesTotal,
  nbpExchangeRateDay,
  type StatutoryRate,
  type StatutoryRateKind,
  statutoryRatesNeeded,
} from './charges';
import { describeLateCharges } from './late-charges-text';
import type { LateChargesJurisdiction } from './policy';
import { buildTemplateValues } from './templates';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const pln = (amountMinor: number) => ({ amountMinor, currency: 'PLN' });
const gbp = (amountMinor: number) => ({ amountMinor, currency: 'GBP' });

const series = (kind: StatutoryRateKind, rows: [string, number][]): StatutoryRate[] =>
  rows.map(([validFrom, basisPoints]) => ({ kind, validFrom, basisPoints }));

/** Published values (see migration 0007); the NBP EUR rate is a test figure for 2024-12-31. */
const RATES: StatutoryRate[] = [
  ...series('ecb_main_refinancing', [
    ['2023-09-20', 450],
    ['2024-06-12', 425],
    ['2024-09-18', 365],
    ['2024-10-23', 340],
    ['2024-12-18', 315],
    ['2025-02-05', 290],
    ['2025-03-12', 265],
    ['2025-04-23', 240],
    ['2025-06-11', 215],
  ]),
  ...series('de_base_rate', [
    ['2024-01-01', 362],
    ['2024-07-01', 337],
    ['2025-01-01', 227],
    ['2025-07-01', 127],
  ]),
  ...series('nbp_reference', [
    ['2023-10-05', 575],
    ['2025-05-08', 525],
    ['2025-07-03', 500],
  ]),
  ...series('boe_base', [
    ['2023-08-03', 525],
    ['2024-08-01', 500],
    ['2024-11-07', 475],
    ['2025-02-06', 450],
    ['2025-05-08', 425],
  ]),
  ...series('nbp_eur_pln', [['2024-12-31', 42_730]]),
];

const charges = (
  rule: LateChargesRule,
  principal: { amountMinor: number; currency: string },
  dueDate: string,
  asOf: string,
  rates: StatutoryRate[] = RATES,
) => computeStatutoryLateCharges({ rule, principal, dueDate, asOf, rates });

describe('computeStatutoryLateCharges by jurisdiction', () => {
  it('eu: ECB rate in force on 1 January + 8 points; a cut during the half-year waits for 1 July; EUR 40', () => {
    // 10 000 × (3.15 % + 8 %) × 30 / 365 = 91.6438… The ECB cut to 2.90 % on 5 February does not count.
    const result = charges('eu', eur(1_000_000), '2025-03-31', '2025-04-30');
    expect(result).toMatchObject({
      rule: 'eu',
      daysLate: 30,
      referenceRate: 'ecb_main_refinancing',
      marginBasisPoints: 800,
      interest: eur(9164),
      compensation: eur(4000),
      compensationMissing: null,
    });
    expect(result.periods).toEqual([
      {
        from: '2025-04-01',
        to: '2025-04-30',
        days: 30,
        referenceRateBasisPoints: 315,
        referenceRateValidFrom: '2024-12-18',
        annualRateBasisPoints: 1115,
        interest: eur(9164),
      },
    ]);
    expect(lateChargesTotal(result)).toEqual(eur(13_164));
  });

  it('splits the late period at 1 July when the reference rate changed, and sums the rounded stretches', () => {
    // 16–30 June: 10 000 × 11.15 % × 15 / 365 = 45.8219 → 45.82; 1–15 July: 10.15 % → 41.7123 → 41.71.
    const result = charges('eu', eur(1_000_000), '2025-06-15', '2025-07-15');
    expect(
      result.periods.map((p) => [p.from, p.to, p.days, p.annualRateBasisPoints, p.interest.amountMinor]),
    ).toEqual([
      ['2025-06-16', '2025-06-30', 15, 1115, 4582],
      ['2025-07-01', '2025-07-15', 15, 1015, 4171],
    ]);
    expect(result).toMatchObject({ daysLate: 30, interest: eur(8753) });
  });

  it('de: Basiszinssatz + 9 points (§ 288 (2) BGB) and EUR 40 (§ 288 (5) BGB)', () => {
    // 1 000 × (2.27 % + 9 %) × 73 / 365 = 22.54 exactly.
    expect(charges('de', eur(100_000), '2025-01-01', '2025-03-15')).toMatchObject({
      referenceRate: 'de_base_rate',
      daysLate: 73,
      periods: [{ referenceRateBasisPoints: 227, annualRateBasisPoints: 1127, days: 73 }],
      interest: eur(2254),
      compensation: eur(4000),
    });
  });

  it('fr: ECB rate + 10 points (L441-10) and EUR 40', () => {
    // 5 000 × (3.15 % + 10 %) × 30 / 365 = 54.0410…
    expect(charges('fr', eur(500_000), '2024-12-31', '2025-01-30')).toMatchObject({
      periods: [{ from: '2025-01-01', annualRateBasisPoints: 1315 }],
      interest: eur(5404),
      compensation: eur(4000),
    });
  });

  it('pl: NBP reference rate + 10 points; EUR 40 in PLN at the NBP rate of the last business day before the due month', () => {
    // 4 999.99 × (5.75 % + 10 %) × 30 / 365 = 64.7258…; EUR 40 × 4.2730 = PLN 170.92.
    const result = charges('pl', pln(499_999), '2025-01-15', '2025-02-14');
    expect(result).toMatchObject({
      referenceRate: 'nbp_reference',
      periods: [{ referenceRateBasisPoints: 575, annualRateBasisPoints: 1575 }],
      interest: pln(6473),
      compensation: pln(17_092),
      compensationBasis: {
        statutory: eur(4000),
        debt: pln(499_999),
        exchangeRate: { basisPoints: 42_730, date: '2024-12-31', referenceDay: '2024-12-31' },
      },
    });
  });

  it('pl: tiers by the debt — up to PLN 5 000.00 EUR 40, above it EUR 70, from PLN 50 000.00 EUR 100', () => {
    const compensation = (debtMinor: number) =>
      charges('pl', pln(debtMinor), '2025-01-15', '2025-02-14').compensation;
    // Art. 10 ust. 1 pkt 1: "nie przekracza 5000 złotych", so PLN 5 000.00 itself is still the lowest tier.
    expect(compensation(499_999)).toEqual(pln(17_092));
    expect(compensation(500_000)).toEqual(pln(17_092));
    expect(compensation(500_001)).toEqual(pln(29_911)); // EUR 70 × 4.2730 = 299.11
    expect(compensation(4_999_999)).toEqual(pln(29_911));
    expect(compensation(5_000_000)).toEqual(pln(42_730)); // EUR 100 × 4.2730
  });

  it('pl: the tier follows the debt (invoice amount), not the balance left after a part payment', () => {
    const result = computeStatutoryLateCharges({
      rule: 'pl',
      principal: pln(100_000),
      debt: pln(600_000),
      dueDate: '2025-01-15',
      asOf: '2025-02-14',
      rates: RATES,
    });
    expect(result.compensation).toEqual(pln(29_911));
  });

  it('pl: no compensation rather than an old exchange rate when the NBP rate of that month-end is missing', () => {
    // Due in March 2025: the rate of 28 February 2025 is needed; the table only has 31 December 2024.
    const result = charges('pl', pln(100_000), '2025-03-10', '2025-04-09');
    expect(result).toMatchObject({ compensation: null, compensationMissing: 'exchange_rate' });
    expect(result.interest.amountMinor).toBeGreaterThan(0);
  });

  it('uk: BoE base rate of 31 December + 8 points for the whole debt, fixed when interest starts', () => {
    // 999.99 × (4.75 % + 8 %) × 30 / 365 = 10.4793…; the 6 February cut to 4.50 % does not count.
    expect(charges('uk', gbp(99_999), '2025-01-31', '2025-03-02')).toMatchObject({
      referenceRate: 'boe_base',
      rateFixing: 'fixed_at_start',
      periods: [
        { from: '2025-02-01', to: '2025-03-02', referenceRateBasisPoints: 475, annualRateBasisPoints: 1275 },
      ],
      interest: gbp(1048),
      compensation: gbp(4000),
    });
    // Still one rate across 1 July: interest started in the first half-year.
    expect(charges('uk', gbp(100_000), '2025-06-15', '2025-07-15').periods).toMatchObject([
      { from: '2025-06-16', to: '2025-07-15', days: 30, referenceRateBasisPoints: 475 },
    ]);
  });

  it('uk: GBP 40 under £1 000, GBP 70 under £10 000, GBP 100 from £10 000', () => {
    const compensation = (debtMinor: number) =>
      charges('uk', gbp(debtMinor), '2025-01-31', '2025-03-02').compensation;
    expect(compensation(99_999)).toEqual(gbp(4000));
    expect(compensation(100_000)).toEqual(gbp(7000));
    expect(compensation(999_999)).toEqual(gbp(7000));
    expect(compensation(1_000_000)).toEqual(gbp(10_000));
  });

  it('charges nothing on or before the due date: no periods, zero interest and zero compensation', () => {
    for (const asOf of ['2025-01-20', '2025-01-31']) {
      expect(charges('eu', eur(50_000), '2025-01-31', asOf)).toMatchObject({
        daysLate: 0,
        periods: [],
        interest: eur(0),
        compensation: eur(0),
      });
    }
    // Nothing late means no rate is needed either.
    expect(charges('pl', pln(50_000), '2025-01-31', '2025-01-31', [])).toMatchObject({ interest: pln(0) });
    expect(
      statutoryRatesNeeded({ rule: 'eu', currency: 'EUR', dueDate: '2025-01-31', asOf: '2025-01-31' }),
    ).toEqual([]);
  });

  it('charges interest but no guessed compensation in a currency the rule has none for', () => {
    // 10 000 USD × 11.15 % × 30 / 365 = 91.64 USD; the Directive's EUR 40 is not converted.
    expect(
      charges('eu', { amountMinor: 1_000_000, currency: 'USD' }, '2025-03-31', '2025-04-30'),
    ).toMatchObject({
      interest: { amountMinor: 9164, currency: 'USD' },
      compensation: null,
      compensationMissing: 'currency',
    });
    expect(charges('uk', eur(100_000), '2025-01-31', '2025-03-02').compensation).toBeNull();
    expect(charges('pl', eur(100_000), '2025-01-15', '2025-02-14').compensation).toBeNull();
  });

  it('rounds half a minor unit up and anything less down', () => {
    // Basiszinssatz 1 % + 9 % = 10 %: 18.25 × 10 % × 1 / 365 = 0.005 exactly; 18.24 gives 0.004997…
    const rates = series('de_base_rate', [['2025-01-01', 100]]);
    expect(charges('de', eur(1825), '2025-01-01', '2025-01-02', rates).interest).toEqual(eur(1));
    expect(charges('de', eur(1824), '2025-01-01', '2025-01-02', rates).interest).toEqual(eur(0));
  });

  it('stays exact for the largest safe principal, where floating point would lose cents', () => {
    // 90 071 992 547 409.91 × 10 % × 181 / 365 = 4 466 583 740 022.2389…, in one half-year.
    const rates = series('de_base_rate', [['2025-01-01', 100]]);
    expect(charges('de', eur(Number.MAX_SAFE_INTEGER), '2024-12-31', '2025-06-30', rates).interest).toEqual(
      eur(446_658_374_002_224),
    );
  });

  it('refuses to compute without the reference rate the period needs', () => {
    expect(() => charges('eu', eur(100_000), '2025-01-31', '2025-03-02', [])).toThrow(
      /No ecb_main_refinancing rate is known on or before 2025-01-01/,
    );
    expect(() => charges('eu', eur(-1), '2025-01-31', '2025-03-02')).toThrow(/non-negative/);
  });
});

describe('statutoryRatesNeeded', () => {
  it('asks for the rate in force at the fixing day and every change up to the as-of day', () => {
    expect(
      statutoryRatesNeeded({ rule: 'de', currency: 'EUR', dueDate: '2025-06-15', asOf: '2025-08-01' }),
    ).toEqual([{ kind: 'de_base_rate', from: '2025-01-01', to: '2025-08-01' }]);
    expect(
      statutoryRatesNeeded({ rule: 'uk', currency: 'GBP', dueDate: '2025-07-10', asOf: '2025-08-01' }),
    ).toEqual([{ kind: 'boe_base', from: '2025-06-30', to: '2025-08-01' }]);
    expect(
      statutoryRatesNeeded({ rule: 'pl', currency: 'PLN', dueDate: '2025-03-10', asOf: '2025-04-01' }),
    ).toEqual([
      { kind: 'nbp_reference', from: '2025-01-01', to: '2025-04-01' },
      { kind: 'nbp_eur_pln', from: '2025-02-28', to: '2025-02-28' },
    ]);
  });

  it('takes the NBP rate of the last Polish business day of the month before the due date', () => {
    expect(nbpExchangeRateDay('2025-01-15')).toBe('2024-12-31');
    // 31 August 2025 is a Sunday and 30 August a Saturday.
    expect(nbpExchangeRateDay('2025-09-10')).toBe('2025-08-29');
  });
});

describe('lateChargesRuleFor', () => {
  const cases: [string, string, LateChargesJurisdiction, LateChargesRule | null][] = [
    ['DE', 'PL', 'auto', 'de'],
    ['FR', 'DE', 'auto', 'fr'],
    ['PL', 'PL', 'auto', 'pl'],
    ['PL', 'US', 'auto', 'pl'],
    ['GB', 'DE', 'auto', 'uk'],
    ['gb', 'us', 'auto', 'uk'],
    ['AT', 'FR', 'auto', 'eu'],
    ['IT', 'US', 'auto', 'eu'],
    ['US', 'DE', 'auto', 'eu'],
    ['CH', 'PL', 'auto', 'eu'],
    ['US', 'GB', 'auto', null],
    ['CH', 'US', 'auto', null],
    ['DE', 'PL', 'eu', 'eu'],
    ['US', 'US', 'pl', 'pl'],
    ['FR', 'FR', 'uk', 'uk'],
  ];
  it.each(cases)(
    'creditor %s, debtor %s, policy %s → %s',
    (creditorCountry, debtorCountry, override, rule) => {
      expect(lateChargesRuleFor({ creditorCountry, debtorCountry, override })).toBe(rule);
    },
  );
});

describe('describeLateCharges', () => {
  it('states every step in English: rule rate, each stretch, total interest, compensation', () => {
    const result = charges('eu', eur(1_000_000), '2025-06-15', '2025-07-15');
    expect(describeLateCharges(result, 'en').split('\n')).toEqual([
      'Statutory interest: ECB main refinancing rate + 8 points, simple interest on €10,000.00 for 30 days late:',
      'Jun 16, 2025 – Jun 30, 2025: (3.15 % + 8.00 %) × 15/365 = €45.82',
      'Jul 1, 2025 – Jul 15, 2025: (2.15 % + 8.00 %) × 15/365 = €41.71',
      'Interest: €87.53',
      'Fixed compensation for recovery costs (Directive 2011/7/EU art. 6): €40.00',
    ]);
  });

  it('shows the Polish conversion in Polish and says why a compensation is missing', () => {
    const text = describeLateCharges(charges('pl', pln(600_000), '2025-01-15', '2025-02-14'), 'pl-PL');
    expect(text).toContain('stopa referencyjna NBP + 10 pkt proc.');
    expect(text).toMatch(
      /art\. 10 ust\. 1 ustawy\): 70,00\s€ po średnim kursie NBP z dnia 31 gru 2024 \(4,2730 zł\/EUR\) = 299,11\szł/,
    );
    const usd = charges('de', { amountMinor: 100_000, currency: 'USD' }, '2025-01-01', '2025-03-15');
    expect(describeLateCharges(usd, 'de')).toContain(
      'Keine Pauschale: Die Vorschrift sieht für Rechnungen in USD keine vor.',
    );
  });
});

describe('late charges in templates', () => {
  const input = {
    locale: 'fr',
    today: '2025-04-30',
    portalUrl: 'https://portal.example/p/x',
    organization: { name: 'Acme', addressLines: ['1 rue A'], city: 'Paris' },
    signatory: { name: 'Anne', email: 'anne@acme.example' },
    customer: { name: 'Globex', code: 'C-1' },
    invoices: [
      {
        number: 'F-1',
        currency: 'EUR',
        totalMinor: 1_000_000,
        balanceMinor: 1_000_000,
        dueDate: '2025-03-31',
      },
    ],
  };

  it('fills charges.rule and charges.calculation from statutory charges', () => {
    const result = charges('fr', eur(1_000_000), '2025-03-31', '2025-04-30');
    const values = buildTemplateValues({ ...input, charges: result });
    expect(values['charges.rule']).toBe('article L441-10 du Code de commerce');
    expect(values['charges.calculation']).toBe(describeLateCharges(result, 'fr'));
    expect(values['charges.interest']).toMatch(/^108,08\s€$/);
    expect(values['charges.compensation']).toMatch(/^40,00\s€$/);
  });

  it('leaves charges.compensation and charges.rule out when there is none to state', () => {
    const values = buildTemplateValues({
      ...input,
      charges: { interest: eur(100), compensation: null },
    });
    expect(values['charges.interest']).toBeDefined();
    expect(values).not.toHaveProperty('charges.compensation');
    expect(values).not.toHaveProperty('charges.rule');
    expect(values).not.toHaveProperty('charges.calculation');
  });
});
