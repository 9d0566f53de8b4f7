import { type Db, listOpenInvoicesPage, recordInvoiceWorkflowsStartedBySweep } from '@settle/db';
import { type InvoiceWorkflowSweepReport, startInvoiceReminders } from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { forEachConcurrently } from '../for-each-concurrently';

/** Open invoices read per query. */
export const SWEEP_PAGE_SIZE = 500;
/** Workflow starts in flight at once. */
export const SWEEP_START_CONCURRENCY = 16;
/** After this many failed starts in one page Temporal is taken as unreachable and the sweep stops. */
const MAX_START_FAILURES_PER_PAGE = 5;
/** One start may take this long; the client would otherwise retry an unreachable server for ~20 s. */
const START_DEADLINE_MS = 10_000;
const REPORTED_IDS = 100;

/**
 * The invoice workflow sweep: starts the reminder workflow of every open invoice (all organizations)
 * that has none running — one created while Temporal was unreachable (`createInvoice` answered
 * `workflowStarted: false`), or one whose run failed or was terminated. Pages through open invoices
 * by id (keyset) and starts each page's workflows a few at a time; starting one that runs already is
 * answered "already started" by Temporal and counted as such, so the sweep is safe to run at any time
 * and from several workers. Each invoice started gets a `reminders.started_by_sweep` audit entry (in
 * its invoice timeline); the report counts them and names the first 100.
 */
export async function reconcileInvoiceWorkflows(
  deps: { db: Db; temporal: Client; taskQueue?: string },
  options: {
    pageSize?: number;
    concurrency?: number;
    /** Called after each page (the activity heartbeats here). */
    onPage?: (progress: InvoiceWorkflowSweepReport) => void;
  } = {},
): Promise<InvoiceWorkflowSweepReport> {
  const pageSize = options.pageSize ?? SWEEP_PAGE_SIZE;
  const report: InvoiceWorkflowSweepReport = {
    checked: 0,
    started: 0,
    alreadyRunning: 0,
    failed: 0,
    startedInvoiceIds: [],
  };
  const startOptions = deps.taskQueue ? { taskQueue: deps.taskQueue } : {};
  let afterId: string | undefined;
  for (;;) {
    const page = await listOpenInvoicesPage(deps.db, { limit: pageSize, ...(afterId ? { afterId } : {}) });
    if (page.length === 0) break;
    afterId = page.at(-1)?.id;
    report.checked += page.length;
    const started: typeof page = [];
    let failures = 0;
    await forEachConcurrently(page, options.concurrency ?? SWEEP_START_CONCURRENCY, async (invoice) => {
      if (failures >= MAX_START_FAILURES_PER_PAGE) {
        report.failed++;
        return;
      }
      try {
        const result = await deps.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          startInvoiceReminders(deps.temporal, invoice.id, startOptions),
        );
        if (result.started) started.push(invoice);
        else report.alreadyRunning++;
      } catch {
        failures++;
        report.failed++;
      }
    });
    await recordInvoiceWorkflowsStartedBySweep(deps.db, started, { reason: 'no running workflow' });
    report.started += started.length;
    for (const invoice of started) {
      if (report.startedInvoiceIds.length < REPORTED_IDS) report.startedInvoiceIds.push(invoice.id);
    }
    options.onPage?.(report);
    // Temporal is unreachable: the rest waits for the next sweep rather than failing start by start.
    if (failures >= MAX_START_FAILURES_PER_PAGE) break;
    if (page.length < pageSize) break;
  }
  return report;
}
