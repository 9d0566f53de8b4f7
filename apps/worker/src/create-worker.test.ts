import { describe, expect, it } from 'vitest';
import { workerTuning } from './create-worker';

describe('workerTuning', () => {
  it('passes the configured cache and concurrency to the worker', () => {
    expect(
      workerTuning({
        WORKER_MAX_CACHED_WORKFLOWS: 250,
        WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 40,
        WORKER_MAX_CONCURRENT_ACTIVITIES: 20,
      }),
    ).toEqual({
      maxCachedWorkflows: 250,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 20,
    });
  });

  it('never runs more workflow tasks at once than the cache holds', () => {
    const tuning = workerTuning({
      WORKER_MAX_CACHED_WORKFLOWS: 10,
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 40,
      WORKER_MAX_CONCURRENT_ACTIVITIES: 20,
    });
    expect(tuning.maxConcurrentWorkflowTaskExecutions).toBe(10);
  });
});
