import { countRecentDebtorActions, type DbOrTx, type DebtorActionKind } from '@settle/db';
import { AppError } from '../errors';

/**
 * How often one customer may act in the portal. Counted from the rows the actions create, so the
 * limits hold across portal instances and restarts with no extra state.
 */
export const DEBTOR_RATE_LIMITS: Record<DebtorActionKind, { max: number; windowMinutes: number }> = {
  dispute: { max: 10, windowMinutes: 60 },
  promise: { max: 10, windowMinutes: 60 },
  payment_start: { max: 10, windowMinutes: 60 },
  link_request: { max: 3, windowMinutes: 24 * 60 },
};

/** Throws RATE_LIMITED when the customer has used up its allowance for this kind of action. */
export async function assertDebtorRateLimit(
  db: DbOrTx,
  options: { organizationId: string; customerId: string; kind: DebtorActionKind; now: Date; adding?: number },
): Promise<void> {
  const limit = DEBTOR_RATE_LIMITS[options.kind];
  const since = new Date(options.now.getTime() - limit.windowMinutes * 60_000);
  const used = await countRecentDebtorActions(db, { ...options, since });
  if (used + (options.adding ?? 1) > limit.max) {
    throw new AppError('RATE_LIMITED', `customer ${options.customerId}: ${options.kind} limit reached`, {
      userMessage: 'Too many requests. Please try again later.',
      details: { kind: options.kind, retryAfterMinutes: limit.windowMinutes },
    });
  }
}
