import { describe, expect, it } from 'vitest';
import { computeLateCharges, FIXED_COMPENSATION_MINOR } from './charges';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

describe('computeLateCharges', () => {
  it('charges principal × (reference + 8 %) × days / 365: €10 000 at 4 % + 8 % for 30 days is €98.63', () => {
    // 10 000 × 0.12 × 30 / 365 = 98.630136…
    expect(
      computeLateCharges({
        principal: eur(1_000_000),
        dueDate: '2025-01-31',
        asOf: '2025-03-02',
        referenceRateBasisPoints: 400,
      }),
    ).toEqual({ interest: eur(9863), compensation: eur(4000), daysLate: 30, annualRateBasisPoints: 1200 });
  });

  it('rounds half a minor unit up and anything less down', () => {
    // 18.25 × 10 % × 1 / 365 = 0.005 exactly; 18.24 gives 0.004997…
    const charge = (amountMinor: number) =>
      computeLateCharges({
        principal: eur(amountMinor),
        dueDate: '2025-01-01',
        asOf: '2025-01-02',
        referenceRateBasisPoints: 200,
      }).interest.amountMinor;
    expect(charge(1825)).toBe(1);
    expect(charge(1824)).toBe(0);
  });

  it('stays exact for the largest safe principal, where floating point would lose cents', () => {
    // 90 071 992 547 409.91 × 12 % × 365 / 365 = 10 808 639 105 689.1892 → …689.19
    const { interest } = computeLateCharges({
      principal: eur(Number.MAX_SAFE_INTEGER),
      dueDate: '2025-01-01',
      asOf: '2026-01-01',
      referenceRateBasisPoints: 400,
    });
    expect(interest).toEqual(eur(1_080_863_910_568_919));
  });

  it('charges nothing and no compensation before or on the due date', () => {
    for (const asOf of ['2025-01-20', '2025-01-31']) {
      expect(
        computeLateCharges({
          principal: eur(50_000),
          dueDate: '2025-01-31',
          asOf,
          referenceRateBasisPoints: 400,
        }),
      ).toEqual({ interest: eur(0), compensation: eur(0), daysLate: 0, annualRateBasisPoints: 1200 });
    }
  });

  it('uses the fixed compensation table: PLN 170, GBP 40, and none for an unknown currency', () => {
    const late = (currency: string) =>
      computeLateCharges({
        principal: { amountMinor: 100_000, currency },
        dueDate: '2025-01-01',
        asOf: '2025-02-01',
        referenceRateBasisPoints: 575,
      }).compensation;
    expect(late('PLN')).toEqual({ amountMinor: 17_000, currency: 'PLN' });
    expect(late('GBP')).toEqual({ amountMinor: 4000, currency: 'GBP' });
    expect(late('USD')).toBeNull();
    expect(FIXED_COMPENSATION_MINOR).toEqual({ EUR: 4000, PLN: 17000, GBP: 4000 });
  });

  it('takes a national margin instead of the directive minimum (Germany: base rate + 9 points)', () => {
    // 1 000 × (1.27 % + 9 %) × 73 / 365 = 20.54
    const charges = computeLateCharges({
      principal: eur(100_000),
      dueDate: '2025-01-01',
      asOf: '2025-03-15',
      referenceRateBasisPoints: 127,
      marginBasisPoints: 900,
    });
    expect(charges).toMatchObject({ interest: eur(2054), daysLate: 73, annualRateBasisPoints: 1027 });
  });

  it('refuses a negative principal or fractional basis points', () => {
    expect(() =>
      computeLateCharges({
        principal: eur(-1),
        dueDate: '2025-01-01',
        asOf: '2025-02-01',
        referenceRateBasisPoints: 0,
      }),
    ).toThrow(/non-negative/);
    expect(() =>
      computeLateCharges({
        principal: eur(1),
        dueDate: '2025-01-01',
        asOf: '2025-02-01',
        referenceRateBasisPoints: 1.5,
      }),
    ).toThrow(/basis points/);
  });
});
