import { TransactionConflictError } from '@settle/db';
import { describe, expect, it } from 'vitest';
import { debtorActionFailure } from './debtor-errors.server';

describe('debtorActionFailure', () => {
  it('answers 503 "try again" for a deadlock that outlasted the retries, never a 500', () => {
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const answer = debtorActionFailure(new TransactionConflictError('40P01', 5, deadlock)) as {
      init: { status: number } | null;
      data: { code: string; message: string };
    };
    expect(answer.init?.status).toBe(503);
    expect(answer.data.code).toBe('UNAVAILABLE');
    expect(answer.data.message).toMatch(/try again/);
  });

  it('lets an unexpected error through', () => {
    expect(() => debtorActionFailure(new Error('boom'))).toThrow('boom');
  });
});
