import { reconcileInvoiceWorkflows } from '@settle/core';
import type { Db } from '@settle/db';
import type { Logger } from '@settle/logging';
import type { SweepActivities } from '@settle/workflows';
import { Context } from '@temporalio/activity';

export interface SweepActivityDeps {
  db: Db;
  logger: Logger;
  taskQueue?: string;
}

/** The activity of the invoice workflow sweep schedule. */
export function createSweepActivities(deps: SweepActivityDeps): SweepActivities {
  return {
    async reconcileInvoiceWorkflows() {
      const context = Context.current();
      const report = await reconcileInvoiceWorkflows(
        { db: deps.db, temporal: context.client, ...(deps.taskQueue ? { taskQueue: deps.taskQueue } : {}) },
        { onPage: (progress) => context.heartbeat(progress.checked) },
      );
      // An invoice started here had lost its workflow: worth a warning, with the ids, for operations.
      if (report.started > 0 || report.failed > 0) deps.logger.warn({ report }, 'invoice workflow sweep');
      else deps.logger.info({ report }, 'invoice workflow sweep');
      return report;
    },
  };
}
