/**
 * The part of the domain that runs inside workflows: calendars, planning and send windows. Workflow
 * code imports this entry point, not the package index, so the workflow bundle (and its fingerprint,
 * docs/decisions/0007-versioning-running-workflows.md) holds only what a running history depends on.
 */
export { addDays, localDateTimeToInstant } from './calendar';
export { type PlannedStep, planReminders } from './planning';
export { nextSendTime } from './send-window';
