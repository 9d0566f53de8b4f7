import { Context } from '@temporalio/activity';

/**
 * The time an activity acts at: when its attempt was scheduled, by the Temporal server's clock. In
 * production that is the wall clock; under the time-skipping test server it is the skipped-to time,
 * so dates in messages and "today" agree with the workflow's timers.
 */
export function activityClock(): Date {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date(); // outside an activity (direct calls in tests)
  }
}
