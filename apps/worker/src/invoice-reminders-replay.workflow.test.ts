import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { fingerprintChanges, fixtureSets, workflowCodeFingerprint } from './testing/workflow-fingerprint';
import { workflowBundle } from './testing/workflow-harness';

// Histories of the main scenarios, one folder per version of the workflow code that recorded them
// (docs/decisions/0007-versioning-running-workflows.md). Every one of them replays with today's code:
// a change that would break a workflow still running on an earlier version fails here.
const sets = fixtureSets();
const fixtures = sets.flatMap((set) =>
  readdirSync(set.dir)
    .filter((name) => name.endsWith('.json') && name !== 'workflow-code.json')
    .map((name) => ({ label: `${set.name}/${name}`, path: join(set.dir, name) })),
);

describe('replay of recorded histories', () => {
  it('has fixtures for the main scenarios of the newest version', () => {
    const newest = sets.at(-1);
    expect(
      fixtures.filter((f) => newest && f.label.startsWith(`${newest.name}/`)).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('has histories recorded with today’s workflow code', async () => {
    // Any set will do (several are often recorded on one day, so names do not order them): one made
    // with exactly today's code. The changes are listed against the set that differs least.
    const today = await workflowCodeFingerprint();
    const closest = sets
      .map((set) => ({ set, changes: fingerprintChanges(set.fingerprint ?? {}, today) }))
      .sort((a, b) => a.changes.length - b.changes.length)[0];
    expect(
      closest?.changes,
      `The code that runs inside workflows changed since the closest fixture set (${closest?.set.name}) was ` +
        'recorded. Guard the change with patched() where it alters a running history, keep the earlier ' +
        'fixtures, and record a new set: RECORD_HISTORIES=<YYYY-MM-DD-what-changed> bash infra/settle.sh ' +
        'test --project workflow apps/worker/src/invoice-reminders.workflow.test.ts',
    ).toEqual([]);
  });

  it.each(fixtures)('replays $label deterministically', async ({ path }) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path, 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history),
    ).resolves.toBeUndefined();
  });
});
