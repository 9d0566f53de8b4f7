import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * The suite's own process supervisor: each of Temporal, the worker and the API runs as a child in
 * its own process group (so `kill -9` takes its whole tree: tsx and node), with its output appended
 * to a log file. A child that dies is started again after a short delay, as an orchestrator would;
 * the suite's faults are what kill them. Every child is killed when the suite exits, however it exits.
 */

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  /** Resolves true once the process serves (polled every 250 ms after each start). */
  ready: (output: () => string) => Promise<boolean>;
  /** Restart automatically after an exit the suite did not ask for (a kill -9 is such an exit). */
  restartDelayMs?: () => number;
}

export interface ManagedProcess {
  name: string;
  /** Starts and waits until ready (throws after `timeoutMs`). */
  start(timeoutMs?: number): Promise<void>;
  isReady(): boolean;
  /** SIGKILL of the whole process group; the supervisor restarts it. Returns false if it was not running. */
  kill9(): boolean;
  /** Graceful stop (SIGTERM, SIGKILL after 10 s); no automatic restart. */
  stop(): Promise<void>;
  /** Resolves when the process is ready again (after a kill or restart). */
  waitReady(timeoutMs: number): Promise<void>;
  starts: number;
  kills: number;
  /** Exits the suite did not cause (crashes), with their code and signal. */
  crashes: string[];
}

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {}
  }
}

/** Kills every child still running: for `exit` handlers, so nothing outlives the suite. */
export function killAllChildren(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
}

export function createManagedProcess(options: ManagedProcessOptions): ManagedProcess {
  let child: ChildProcess | null = null;
  let ready = false;
  let wanted = false;
  let expectingExit = false;
  let output = '';
  let log: WriteStream | null = null;
  let readyWaiters: (() => void)[] = [];
  const state = { starts: 0, kills: 0, crashes: [] as string[] };

  const markReady = () => {
    ready = true;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const launch = () => {
    ready = false;
    output = '';
    log ??= createWriteStream(options.logFile, { flags: 'a' });
    log.write(`\n===== ${new Date().toISOString()} start #${state.starts + 1}\n`);
    const spawned = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    state.starts++;
    live.add(spawned);
    const onData = (data: Buffer) => {
      const text = String(data);
      log?.write(text);
      // Only the recent output matters for readiness and error messages.
      output = (output + text).slice(-20_000);
    };
    spawned.stdout?.on('data', onData);
    spawned.stderr?.on('data', onData);
    spawned.once('exit', (code, signal) => {
      live.delete(spawned);
      log?.write(`\n===== ${new Date().toISOString()} exit code=${code} signal=${signal}\n`);
      if (child === spawned) {
        child = null;
        ready = false;
      }
      if (!expectingExit) state.crashes.push(`exit code=${code} signal=${signal}`);
      expectingExit = false;
      if (wanted && child === null) {
        setTimeout(() => {
          if (wanted && child === null) launch();
        }, options.restartDelayMs?.() ?? 1_000);
      }
    });
    const poll = async () => {
      while (child === spawned && !ready) {
        if (await options.ready(() => output).catch(() => false)) {
          if (child === spawned) markReady();
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    void poll();
  };

  const waitReady = (timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (ready) return resolve();
      const timer = setTimeout(() => {
        readyWaiters = readyWaiters.filter((w) => w !== done);
        reject(new Error(`${options.name} not ready after ${timeoutMs / 1000}s:\n${output.slice(-3000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      readyWaiters.push(done);
    });

  return {
    name: options.name,
    get starts() {
      return state.starts;
    },
    get kills() {
      return state.kills;
    },
    get crashes() {
      return state.crashes;
    },
    async start(timeoutMs = 120_000) {
      wanted = true;
      if (!child) launch();
      await waitReady(timeoutMs);
    },
    isReady: () => ready,
    kill9() {
      if (!child || !ready) return false;
      expectingExit = true;
      state.kills++;
      killGroup(child, 'SIGKILL');
      return true;
    },
    waitReady,
    async stop() {
      wanted = false;
      const current = child;
      if (!current) return;
      expectingExit = true;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => killGroup(current, 'SIGKILL'), 10_000);
        current.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        killGroup(current, 'SIGTERM');
      });
      // The stream stays open: a later start appends to the same log.
    },
  };
}
