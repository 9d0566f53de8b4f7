import { constants } from 'node:os';

/**
 * Restarts a child process that exits when nobody asked it to: after 1 s, then 2, 4, … up to 30 s
 * between tries, back to 1 s once a run stayed up for a minute. After `maxQuickFailures` runs in a
 * row that each died within that minute, it gives up, so `up` can stop everything with a clear
 * message instead of restarting a process that cannot start. Spawning and the clock are passed in,
 * so the policy is tested without processes or waiting.
 */

/** What the supervisor needs of a child process (a `ChildProcess` fits). */
export interface SupervisedChild {
  readonly pid?: number | undefined;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

export interface SupervisorPolicy {
  /** Wait before the first restart; doubled after each quick failure. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run that lasted this long was healthy: the next failure starts the backoff afresh. */
  stableAfterMs: number;
  /** Quick failures in a row after which the supervisor gives up. */
  maxQuickFailures: number;
}

export const DEFAULT_SUPERVISOR_POLICY: SupervisorPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxQuickFailures: 7,
};

export interface SupervisorClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: SupervisorClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** How long the run that ended had been up. */
  uptimeMs: number;
  /** Quick failures in a row, this one included (0 when the run had been up long enough). */
  quickFailures: number;
}

export interface SupervisorEvents {
  /** The child died and will be started again after `delayMs`. */
  onRestartScheduled?(exit: ChildExit & { delayMs: number }): void;
  /** A new run was started. */
  onRestarted?(event: { name: string; child: SupervisedChild }): void;
  /** Too many quick failures: nothing will be restarted; the caller stops everything. */
  onGiveUp(exit: ChildExit & { message: string }): void;
}

export interface Supervisor {
  /** The current run (the first one, or the latest restart). */
  readonly child: SupervisedChild;
  /** Stops supervising (before an intended stop): an exit from now on is not restarted. */
  stop(): void;
}

/** `killed by SIGKILL`, `exit code 1`, or `exit code 137 (SIGKILL)`: a shell or pnpm reports its child's signal as 128 + n. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  const name =
    code !== null && code > 128
      ? Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0]
      : undefined;
  return name ? `exit code ${code} (${name})` : `exit code ${code}`;
}

export function supervise(options: {
  name: string;
  /** The run already started, if any, and when (epoch ms); otherwise the supervisor starts the first one. */
  initial?: SupervisedChild;
  initialStartedAt?: number;
  spawn: () => SupervisedChild;
  events: SupervisorEvents;
  policy?: Partial<SupervisorPolicy>;
  clock?: SupervisorClock;
}): Supervisor {
  const policy = { ...DEFAULT_SUPERVISOR_POLICY, ...options.policy };
  const clock = options.clock ?? systemClock;
  let stopped = false;
  let quickFailures = 0;
  let pendingRestart: unknown = null;
  let child: SupervisedChild;
  let startedAt = 0;

  const watch = (run: SupervisedChild, since = clock.now()) => {
    child = run;
    startedAt = since;
    run.once('exit', (code, signal) => {
      if (stopped || run !== child) return;
      const uptimeMs = clock.now() - startedAt;
      quickFailures = uptimeMs >= policy.stableAfterMs ? 0 : quickFailures + 1;
      const exit: ChildExit = { name: options.name, code, signal, uptimeMs, quickFailures };
      if (quickFailures >= policy.maxQuickFailures) {
        stopped = true;
        options.events.onGiveUp({
          ...exit,
          message:
            `${options.name} died ${quickFailures} times in a row, each within ` +
            `${Math.round(policy.stableAfterMs / 1000)} s of starting (last: ${describeExit(code, signal)}); ` +
            'not restarting it again',
        });
        return;
      }
      const delayMs = Math.min(
        policy.initialDelayMs * 2 ** Math.max(0, quickFailures - 1),
        policy.maxDelayMs,
      );
      options.events.onRestartScheduled?.({ ...exit, delayMs });
      pendingRestart = clock.setTimeout(() => {
        pendingRestart = null;
        if (stopped) return;
        const next = options.spawn();
        watch(next);
        options.events.onRestarted?.({ name: options.name, child: next });
      }, delayMs);
    });
  };
  if (options.initial) watch(options.initial, options.initialStartedAt);
  else watch(options.spawn());

  return {
    get child() {
      return child;
    },
    stop() {
      stopped = true;
      if (pendingRestart !== null) clock.clearTimeout(pendingRestart);
      pendingRestart = null;
    },
  };
}
