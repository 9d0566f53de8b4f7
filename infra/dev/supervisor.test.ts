import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type ChildExit, describeExit, type SupervisorClock, supervise } from './supervisor';

/** A child process stand-in: `die` makes it exit as `kill -9` or a crash would. */
class FakeChild extends EventEmitter {
  constructor(readonly pid: number) {
    super();
  }
  die(code: number | null, signal: NodeJS.Signals | null = null) {
    this.emit('exit', code, signal);
  }
}

/** A clock the test moves by hand; timers run when their time is reached. */
class ManualClock implements SupervisorClock {
  private time = 0;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 0;
  now() {
    return this.time;
  }
  setTimeout(run: () => void, ms: number) {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  advance(ms: number) {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.run();
    }
    this.time = until;
  }
  get pending() {
    return this.timers.length;
  }
}

function setUp(policy?: Parameters<typeof supervise>[0]['policy']) {
  const clock = new ManualClock();
  const spawned: FakeChild[] = [];
  const scheduled: (ChildExit & { delayMs: number })[] = [];
  const gaveUp: (ChildExit & { message: string })[] = [];
  const spawn = () => {
    const child = new FakeChild(1000 + spawned.length);
    spawned.push(child);
    return child;
  };
  const supervisor = supervise({
    name: 'worker',
    spawn,
    clock,
    ...(policy ? { policy } : {}),
    events: {
      onRestartScheduled: (exit) => scheduled.push(exit),
      onGiveUp: (exit) => gaveUp.push(exit),
    },
  });
  const current = () => spawned.at(-1) as FakeChild;
  return { clock, spawned, scheduled, gaveUp, supervisor, current };
}

describe('supervise', () => {
  it('restarts a child killed with SIGKILL after 1 s', () => {
    const { clock, spawned, scheduled, supervisor, current } = setUp();
    clock.advance(300_000);
    current().die(null, 'SIGKILL');
    expect(scheduled).toEqual([
      expect.objectContaining({ name: 'worker', signal: 'SIGKILL', delayMs: 1_000, quickFailures: 0 }),
    ]);
    expect(spawned).toHaveLength(1);
    clock.advance(999);
    expect(spawned).toHaveLength(1);
    clock.advance(1);
    expect(spawned).toHaveLength(2);
    expect(supervisor.child).toBe(spawned[1]);
  });

  it('doubles the wait after each quick failure up to 30 s, and gives up after 7 in a row', () => {
    const { clock, spawned, scheduled, gaveUp, current } = setUp();
    for (let run = 0; run < 7; run++) {
      clock.advance(5_000); // each run dies 5 s after it started
      current().die(1);
      clock.advance(scheduled.at(-1)?.delayMs ?? 0);
    }
    expect(scheduled.map((exit) => exit.delayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(spawned).toHaveLength(7);
    expect(gaveUp).toEqual([
      expect.objectContaining({
        name: 'worker',
        code: 1,
        quickFailures: 7,
        message:
          'worker died 7 times in a row, each within 60 s of starting (last: exit code 1); not restarting it again',
      }),
    ]);
    expect(clock.pending).toBe(0);
  });

  it('starts the backoff afresh after a run that stayed up for a minute', () => {
    const { clock, scheduled, gaveUp, current } = setUp();
    for (let run = 0; run < 3; run++) {
      clock.advance(1_000);
      current().die(1);
      clock.advance(scheduled.at(-1)?.delayMs ?? 0);
    }
    clock.advance(60_000); // this run was healthy
    current().die(null, 'SIGKILL');
    expect(scheduled.map((exit) => [exit.delayMs, exit.quickFailures])).toEqual([
      [1_000, 1],
      [2_000, 2],
      [4_000, 3],
      [1_000, 0],
    ]);
    expect(gaveUp).toEqual([]);
  });

  it('restarts nothing once stopped, not even a restart already scheduled', () => {
    const { clock, spawned, supervisor, current } = setUp();
    current().die(1);
    supervisor.stop();
    clock.advance(60_000);
    expect(spawned).toHaveLength(1);
    expect(clock.pending).toBe(0);

    const second = setUp();
    second.supervisor.stop();
    second.current().die(null, 'SIGTERM'); // Ctrl-C: the stack stops its children on purpose
    second.clock.advance(60_000);
    expect(second.spawned).toHaveLength(1);
    expect(second.scheduled).toEqual([]);
  });

  it('names how a child ended, reading 128 + n from pnpm or a shell as signal n', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('killed by SIGKILL');
    expect(describeExit(137, null)).toBe('exit code 137 (SIGKILL)');
    expect(describeExit(1, null)).toBe('exit code 1');
  });

  it('watches a child that was started before supervision began, counting its uptime from its start', () => {
    const clock = new ManualClock();
    clock.advance(120_000);
    const initial = new FakeChild(1);
    const spawned: FakeChild[] = [];
    const scheduled: ChildExit[] = [];
    supervise({
      name: 'api',
      initial,
      initialStartedAt: 0,
      spawn: () => {
        const child = new FakeChild(2);
        spawned.push(child);
        return child;
      },
      clock,
      events: { onRestartScheduled: (exit) => scheduled.push(exit), onGiveUp: () => {} },
    });
    expect(spawned).toHaveLength(0);
    initial.die(137);
    expect(scheduled).toEqual([expect.objectContaining({ uptimeMs: 120_000, quickFailures: 0 })]);
    clock.advance(1_000);
    expect(spawned).toHaveLength(1);
  });
});
