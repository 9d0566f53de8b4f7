/**
 * The invoice workflow sweep: a Temporal schedule whose workflow starts the reminder workflow of every
 * open invoice that has none (one created while Temporal was unreachable, a run that failed or was
 * terminated). Its activity is `reconcileInvoiceWorkflows` of `@settle/core`.
 */

export const INVOICE_WORKFLOW_SWEEP_SCHEDULE_ID = 'invoice-workflows-sweep';

/** What one sweep did; also the schedule workflow's result, so the Temporal UI shows it. */
export interface InvoiceWorkflowSweepReport {
  /** Open invoices looked at. */
  checked: number;
  /** Workflows started: those invoices had none running. */
  started: number;
  /** Invoices whose workflow was already running. */
  alreadyRunning: number;
  /** Starts that failed (Temporal unreachable); the next sweep tries them again. */
  failed: number;
  /** The invoices started, at most the first 100 (each also has a `reminders.started_by_sweep` audit entry). */
  startedInvoiceIds: string[];
}

export interface SweepActivities {
  reconcileInvoiceWorkflows(input: Record<string, never>): Promise<InvoiceWorkflowSweepReport>;
}
