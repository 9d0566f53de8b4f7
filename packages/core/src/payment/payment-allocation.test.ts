import { describe, expect, it } from 'vitest';
import { planPaymentReversal } from './payment-allocation';

// 100 paid A (30, first) and B (50, last); 20 became credit.
const allocations = (reversedA = 0, reversedB = 0) => [
  { invoice_id: 'a', amount_minor: 3_000, reversed_minor: reversedA, position: 0 },
  { invoice_id: 'b', amount_minor: 5_000, reversed_minor: reversedB, position: 1 },
];

describe('planPaymentReversal', () => {
  it('takes back credit first, then the invoice paid last, then the one paid first', () => {
    expect(
      planPaymentReversal({
        totalReversedMinor: 7_500,
        credit: { allocatedMinor: 2_000, reversedMinor: 0 },
        allocations: allocations(),
      }),
    ).toEqual({
      fromCreditMinor: 2_000,
      fromInvoices: [
        { invoiceId: 'b', amountMinor: 5_000 },
        { invoiceId: 'a', amountMinor: 500 },
      ],
    });
  });

  it('counts what earlier reversals took back, so a cumulative total takes only the difference', () => {
    expect(
      planPaymentReversal({
        totalReversedMinor: 10_000,
        credit: { allocatedMinor: 2_000, reversedMinor: 2_000 },
        allocations: allocations(0, 3_000),
      }),
    ).toEqual({
      fromCreditMinor: 0,
      fromInvoices: [
        { invoiceId: 'b', amountMinor: 2_000 },
        { invoiceId: 'a', amountMinor: 3_000 },
      ],
    });
  });

  it('takes nothing for a total at or below what was already taken back', () => {
    const state = {
      credit: { allocatedMinor: 2_000, reversedMinor: 2_000 },
      allocations: allocations(0, 3_000),
    };
    expect(planPaymentReversal({ totalReversedMinor: 5_000, ...state })).toEqual({
      fromCreditMinor: 0,
      fromInvoices: [],
    });
    expect(planPaymentReversal({ totalReversedMinor: 1_000, ...state })).toEqual({
      fromCreditMinor: 0,
      fromInvoices: [],
    });
  });
});
