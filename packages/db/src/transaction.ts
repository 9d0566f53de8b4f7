import type { Transaction } from 'kysely';
import type { Db } from './client';
import type { Database } from './schema';

/**
 * Transactions that survive a deadlock or a serialization failure. PostgreSQL resolves a deadlock by
 * aborting one of the transactions in it (SQLSTATE 40P01), and a REPEATABLE READ or SERIALIZABLE
 * transaction may be refused at any statement or at commit (40001); in both cases running the whole
 * transaction again is the documented remedy. Row locks are taken in one order everywhere
 * (docs/decisions/0008-row-lock-order.md), so a retry here is the exception, not the rule.
 */

/** serialization_failure, deadlock_detected */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

export interface TransactionOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** The n-th retry waits a random time up to `baseDelayMs × 2^(n-1)` (default 20 ms) … */
  baseDelayMs?: number;
  /** … but never more than this (default 500 ms). */
  maxDelayMs?: number;
  isolationLevel?: 'read committed' | 'repeatable read' | 'serializable';
}

/** A transaction still failed with a deadlock or serialization failure after its last attempt. */
export class TransactionConflictError extends Error {
  override name = 'TransactionConflictError';
  constructor(
    readonly sqlState: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(
      `transaction failed ${attempts} time(s) with SQLSTATE ${sqlState}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * The SQLSTATE of a deadlock or serialization failure anywhere in the error's cause chain, or null.
 * A `TransactionConflictError` counts too, so an edge can answer "retry later" for either.
 */
export function transactionConflictCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof TransactionConflictError) return current.sqlState;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_SQLSTATES.has(code)) return code;
    current = current.cause;
  }
  return null;
}

/** Whether the error is a deadlock or serialization failure (retried or not): the client may retry. */
export function isTransactionConflict(error: unknown): boolean {
  return transactionConflictCode(error) !== null;
}

export interface TransactionRetry {
  sqlState: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  delayMs: number;
}

const retryListeners = new Set<(retry: TransactionRetry) => void>();

/** Observes every retry in this process (for logs and metrics); returns the unsubscribe function. */
export function onTransactionRetry(listener: (retry: TransactionRetry) => void): () => void {
  retryListeners.add(listener);
  return () => retryListeners.delete(listener);
}

/** A process's log line for every retried transaction (a retry is the exception: worth seeing). */
export function logTransactionRetries(logger: { warn(details: object, message: string): void }): () => void {
  return onTransactionRetry((retry) =>
    logger.warn(retry, 'transaction retried after a deadlock or serialization failure'),
  );
}

/**
 * Runs `fn` in a transaction and commits; on a deadlock or serialization failure (also at commit) it
 * rolls back and runs `fn` again, a bounded number of times with jittered exponential backoff, then
 * throws `TransactionConflictError`. `fn` must therefore be safe to re-run: no side effect outside
 * the transaction (no signal, provider call or change to outer state that a second run would repeat).
 * Every other error rolls back and is thrown at once.
 */
export async function inTransaction<T>(
  db: Db,
  fn: (tx: Transaction<Database>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const baseDelayMs = options.baseDelayMs ?? 20;
  const maxDelayMs = options.maxDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      const builder = db.transaction();
      return await (options.isolationLevel
        ? builder.setIsolationLevel(options.isolationLevel)
        : builder
      ).execute(fn);
    } catch (error) {
      // A nested helper that gave up already retried: retrying around it would multiply the attempts.
      if (error instanceof TransactionConflictError) throw error;
      const sqlState = transactionConflictCode(error);
      if (sqlState === null) throw error;
      if (attempt >= maxAttempts) throw new TransactionConflictError(sqlState, attempt, error);
      const delayMs = Math.round(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      for (const listener of retryListeners) listener({ sqlState, attempt, delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
