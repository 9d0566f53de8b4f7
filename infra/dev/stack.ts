import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExit, type Supervisor, type SupervisorPolicy, supervise } from './supervisor';

/**
 * Starts Settle's processes (Temporal dev server, worker, API, portal) as child processes and stops
 * them together. Used by `infra/settle.sh up` and by the end-to-end tests, so both run the same stack.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface StackOptions {
  databaseUrl: string;
  temporalCliPath: string;
  ports: { temporal: number; temporalUi: number; api: number; portal: number };
  /** SQLite file of the Temporal dev server; kept between runs so workflows survive restarts. */
  temporalDbFile: string;
  /** Prefix child output with its name on our stdout (the dev command), or keep it quiet (tests). */
  echo: boolean;
  extraEnv?: Record<string, string>;
  /**
   * Once every process is ready, restart one that dies unexpectedly (with backoff, see
   * ./supervisor.ts); `say` reports each restart, `onGiveUp` is called with a message naming the
   * process and its last output when it keeps dying (the caller then stops the stack). Without
   * this, a process that dies stays dead (the e2e tests want a failure, not a restart).
   */
  supervise?: {
    say(message: string): void;
    onGiveUp(message: string): void;
    policy?: Partial<SupervisorPolicy>;
  };
}

export interface Stack {
  urls: { api: string; portal: string; temporalUi: string; temporal: string };
  env: Record<string, string>;
  stop(): Promise<void>;
}

interface Child {
  name: string;
  /** The current run; replaced when a supervised process is restarted. */
  process: ChildProcess;
  /** When the first run was started (epoch ms). */
  startedAt: number;
  output: string[];
  /** Starts the process again with the same command, in a new process group. */
  respawn(): ChildProcess;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(
        new Error(`port ${port} (${what}) is in use: is Settle already running? Stop it or free the port.`),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree()));
  });
}

async function waitFor(
  what: string,
  child: Child,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = child.process;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(
        `${what} exited with ${signalCode ?? `code ${exitCode}`}:\n${child.output.slice(-30).join('')}`,
      );
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000}s:\n${child.output.slice(-30).join('')}`);
}

const httpOk = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/**
 * The API is ready when its `/healthz` finds PostgreSQL and Temporal up; its worker check may still
 * say down while the worker is starting (that one is awaited on its own).
 */
const apiReady = (url: string) => async () => {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  const body = (await response.json().catch(() => ({}))) as {
    checks?: Record<string, { status?: string }>;
  };
  return body.checks?.postgres?.status === 'up' && body.checks?.temporal?.status === 'up';
};

/** Builds the portal when its sources are newer than the last build. */
export async function buildPortalIfStale(echo: boolean): Promise<void> {
  const portal = join(ROOT, 'apps/portal');
  const built = join(portal, 'build/server/index.js');
  const newest = (dir: string): number => {
    let latest = 0;
    const walk = (path: string) => {
      const stat = statSync(path);
      if (stat.isDirectory()) {
        for (const entry of readdirSync(path)) {
          if (entry !== 'node_modules' && entry !== 'build') walk(join(path, entry));
        }
      } else latest = Math.max(latest, stat.mtimeMs);
    };
    walk(dir);
    return latest;
  };
  const sources = Math.max(
    newest(join(portal, 'app')),
    newest(join(ROOT, 'packages')),
    statSync(join(portal, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  if (echo) console.log('[settle] building the portal');
  await run('pnpm', ['--filter', '@settle/portal', 'build'], ROOT);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout?.on('data', (d) => output.push(String(d)));
    child.stderr?.on('data', (d) => output.push(String(d)));
    child.once('exit', (code) =>
      code === 0
        ? resolveRun()
        : reject(new Error(`${command} ${args.join(' ')} failed:\n${output.join('')}`)),
    );
  });
}

/** Signals a child's whole process group; nothing to do when it is already gone. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { ports } = options;
  const children: Child[] = [];
  const urls = {
    temporal: `127.0.0.1:${ports.temporal}`,
    temporalUi: `http://localhost:${ports.temporalUi}`,
    api: `http://localhost:${ports.api}`,
    portal: `http://localhost:${ports.portal}`,
  };
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: urls.temporal,
    API_PORT: String(ports.api),
    PORTAL_PORT: String(ports.portal),
    PORTAL_BASE_URL: urls.portal,
    API_BASE_URL: urls.api,
    PORT: String(ports.portal), // remix-serve's own variable
    ...options.extraEnv,
  };

  const spawnChild = (name: string, command: string, args: string[], cwd: string): Child => {
    const onData = (data: Buffer) => {
      const text = String(data);
      child.output.push(text);
      if (child.output.length > 200) child.output.shift();
      if (options.echo)
        for (const line of text.split('\n').filter(Boolean)) process.stdout.write(`[${name}] ${line}\n`);
    };
    const launch = () => {
      // Own process group, so stopping kills the whole tree (pnpm → tsx → node).
      const spawned = spawn(command, args, {
        cwd,
        env: { ...process.env, ...env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      spawned.stdout?.on('data', onData);
      spawned.stderr?.on('data', onData);
      return spawned;
    };
    const child: Child = {
      name,
      output: [],
      process: launch(),
      startedAt: Date.now(),
      respawn() {
        // Whatever is left of the dead run's tree (a `kill -9` of one process can orphan the
        // others, still holding a port) goes first.
        killGroup(child.process, 'SIGKILL');
        child.process = launch();
        return child.process;
      },
    };
    children.push(child);
    return child;
  };

  const supervisors: Supervisor[] = [];
  const superviseChildren = (settings: NonNullable<StackOptions['supervise']>) => {
    for (const child of children) {
      supervisors.push(
        supervise({
          name: child.name,
          initial: child.process,
          initialStartedAt: child.startedAt,
          spawn: () => child.respawn(),
          ...(settings.policy ? { policy: settings.policy } : {}),
          events: {
            onRestartScheduled: (exit) =>
              settings.say(
                `${exit.name} died after ${Math.round(exit.uptimeMs / 1000)} s up ` +
                  `(${describeExit(exit.code, exit.signal)}): restarting it in ${exit.delayMs / 1000} s`,
              ),
            onRestarted: (event) => settings.say(`${event.name} restarted (pid ${event.child.pid})`),
            onGiveUp: (exit) =>
              settings.onGiveUp(`${exit.message}. Its last output:\n${child.output.slice(-20).join('')}`),
          },
        }),
      );
    }
  };

  const stop = async () => {
    for (const supervisor of supervisors) supervisor.stop();
    await Promise.all(
      children.reverse().map(
        (child) =>
          new Promise<void>((resolveStop) => {
            // Already gone (an exit code, or killed by a signal while waiting for its restart).
            const gone = child.process.exitCode !== null || child.process.signalCode !== null;
            if (gone || child.process.pid === undefined) return resolveStop();
            const pid = child.process.pid;
            const timer = setTimeout(() => {
              try {
                process.kill(-pid, 'SIGKILL');
              } catch {}
            }, 10_000);
            child.process.once('exit', () => {
              clearTimeout(timer);
              resolveStop();
            });
            try {
              process.kill(-pid, 'SIGTERM');
            } catch {
              resolveStop();
            }
          }),
      ),
    );
  };

  try {
    for (const [what, port] of Object.entries(ports)) await assertPortFree(port, what);
    mkdirSync(dirname(options.temporalDbFile), { recursive: true });
    const temporal = spawnChild(
      'temporal',
      options.temporalCliPath,
      [
        'server',
        'start-dev',
        '--db-filename',
        options.temporalDbFile,
        '--ip',
        '127.0.0.1',
        '--port',
        String(ports.temporal),
        '--ui-port',
        String(ports.temporalUi),
        '--log-level',
        'warn',
      ],
      ROOT,
    );
    const portalBuild = buildPortalIfStale(options.echo);
    await waitFor('Temporal', temporal, httpOk(`${urls.temporalUi}/api/v1/namespaces/default`), 60_000);

    const worker = spawnChild('worker', 'pnpm', ['--silent', '--filter', '@settle/worker', 'start'], ROOT);
    const api = spawnChild('api', 'pnpm', ['--silent', '--filter', '@settle/api', 'start'], ROOT);
    await portalBuild;
    const portal = spawnChild('portal', 'pnpm', ['--silent', '--filter', '@settle/portal', 'start'], ROOT);

    await Promise.all([
      waitFor('worker', worker, async () => worker.output.join('').includes('worker ready'), 120_000),
      waitFor('API', api, apiReady(`${urls.api}/healthz`), 60_000),
      waitFor('portal', portal, httpOk(`${urls.portal}/healthz`), 60_000),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  if (options.supervise) superviseChildren(options.supervise);
  return { urls, env, stop };
}
