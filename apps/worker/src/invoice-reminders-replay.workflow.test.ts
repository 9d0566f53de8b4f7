import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from './testing/workflow-harness';

// Histories of the main scenarios, recorded by the scenario tests with RECORD_HISTORIES=1. Replaying
// them with today's workflow code fails when a change would break running workflows (non-determinism).
const FIXTURES = join(import.meta.dirname, '__fixtures__/histories');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has fixtures for the main scenarios', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  it.each(fixtures)('replays %s deterministically', async (name) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history),
    ).resolves.toBeUndefined();
  });
});
