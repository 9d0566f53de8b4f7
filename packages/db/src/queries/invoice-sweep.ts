import type { DbOrTx } from '../client';

/**
 * One page of open invoices of every organization, by id (keyset: pass the last id of the previous
 * page). For the invoice workflow sweep, which looks at each open invoice once per run.
 */
export async function listOpenInvoicesPage(
  db: DbOrTx,
  options: { afterId?: string; limit: number },
): Promise<{ id: string; organization_id: string }[]> {
  let query = db
    .selectFrom('invoices')
    .select(['id', 'organization_id'])
    .where('status', '=', 'open')
    .orderBy('id')
    .limit(options.limit);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.execute();
}

/** The audit entries of invoices whose workflow the sweep started, in one statement. */
export async function recordInvoiceWorkflowsStartedBySweep(
  db: DbOrTx,
  invoices: { id: string; organization_id: string }[],
  data: Record<string, unknown>,
): Promise<void> {
  if (invoices.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      invoices.map((invoice) => ({
        organization_id: invoice.organization_id,
        actor_type: 'system' as const,
        actor_id: 'invoice-workflows-sweep',
        action: 'reminders.started_by_sweep',
        subject_type: 'invoice',
        subject_id: invoice.id,
        data: JSON.stringify(data),
      })),
    )
    .execute();
}
