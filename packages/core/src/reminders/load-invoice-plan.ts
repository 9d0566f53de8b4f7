import type { Db } from '@settle/db';
import { addDays, localDateTimeToInstant, nextSendTime, planReminders } from '@settle/domain';
import type { InvoicePlan, SendTimeInput } from '@settle/workflows';
import { loadInvoiceSnapshot } from './load-invoice-snapshot';

/**
 * The invoice as the reminder workflow sees it, with its plan: the planned instants of every step and
 * the deadline of an active promise. Planning needs the holiday calendars, which are large; computed
 * here, outside the workflow sandbox, the plan is data recorded in the workflow's history, so a running
 * history never depends on the holiday data of a later release (docs/decisions/0007).
 */
export async function loadInvoicePlan(db: Db, invoiceId: string): Promise<InvoicePlan | null> {
  const snapshot = await loadInvoiceSnapshot(db, invoiceId);
  if (!snapshot) return null;
  const plan = planReminders({
    issueDate: snapshot.issueDate,
    dueDate: snapshot.dueDate,
    timeZone: snapshot.timeZone,
    country: snapshot.country,
    policy: snapshot.policy,
    jitterKey: invoiceId,
  });
  // A promise holds reminders until the end of the promised day plus grace, in the customer's zone.
  const promiseUntil = snapshot.promisedDate
    ? localDateTimeToInstant(
        addDays(snapshot.promisedDate, snapshot.policy.promiseGraceDays + 1),
        '00:00',
        snapshot.timeZone,
      )
    : null;
  return { snapshot, plan, promiseUntil };
}

/** When a late message may go out (see `nextSendTime`): a pure function the workflow calls locally. */
export function sendTimeFor(input: SendTimeInput): number {
  const { at, ...window } = input;
  return nextSendTime(at, window);
}
