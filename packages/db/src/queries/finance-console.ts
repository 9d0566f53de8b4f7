import type { DbOrTx } from '../client';

/** Read models for the finance console. Every query is scoped to one organization. */

/** Open disputes, oldest first, with their invoice and customer. */
export async function listOpenDisputesQueue(db: DbOrTx, organizationId: string) {
  return db
    .selectFrom('disputes as d')
    .innerJoin('invoices as i', 'i.id', 'd.invoice_id')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .select([
      'd.id',
      'd.reason',
      'd.message',
      'd.opened_at',
      'i.id as invoice_id',
      'i.number as invoice_number',
      'i.currency',
      'i.total_minor',
      'i.paid_minor',
      'i.due_date',
      'c.id as customer_id',
      'c.name as customer_name',
      'c.code as customer_code',
    ])
    .where('d.organization_id', '=', organizationId)
    .where('d.status', '=', 'open')
    .orderBy('d.opened_at')
    .orderBy('d.id')
    .execute();
}

/** Tasks of a status (open by default), oldest first, with customer, invoice and letter PDF. */
export async function listConsoleTasks(
  db: DbOrTx,
  organizationId: string,
  status: 'open' | 'done' = 'open',
  limit = 200,
) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('customers as c', 'c.id', 't.customer_id')
    .leftJoin('invoices as i', 'i.id', 't.invoice_id')
    .leftJoin('communications as m', 'm.id', 't.communication_id')
    .select([
      't.id',
      't.kind',
      't.title',
      't.details',
      't.outcome',
      't.created_at',
      't.completed_at',
      't.communication_id',
      'c.id as customer_id',
      'c.name as customer_name',
      'c.phone as customer_phone',
      'c.email as customer_email',
      'i.id as invoice_id',
      'i.number as invoice_number',
      'i.currency',
      'i.total_minor',
      'i.paid_minor',
      'i.due_date',
      'm.recipient as message_recipient',
      'm.channel as message_channel',
      'm.error as message_error',
    ])
    .where('t.organization_id', '=', organizationId)
    .where('t.status', '=', status)
    .orderBy(status === 'open' ? 't.created_at' : 't.completed_at', status === 'open' ? 'asc' : 'desc')
    .limit(limit)
    .execute();
}

/** Customers with their open balance per currency and open dispute count. */
export async function listCustomersOverview(db: DbOrTx, organizationId: string) {
  const [customers, balances, disputes] = await Promise.all([
    db
      .selectFrom('customers')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('invoices')
      .select((eb) => [
        'customer_id',
        'currency',
        eb.fn.sum<string>(eb('total_minor', '-', eb.ref('paid_minor'))).as('balance_minor'),
        eb.fn.countAll<string>().as('invoice_count'),
      ])
      .where('organization_id', '=', organizationId)
      .where('status', '=', 'open')
      .groupBy(['customer_id', 'currency'])
      .execute(),
    db
      .selectFrom('disputes')
      .select((eb) => ['customer_id', eb.fn.countAll<string>().as('open_disputes')])
      .where('organization_id', '=', organizationId)
      .where('status', '=', 'open')
      .groupBy('customer_id')
      .execute(),
  ]);
  return customers.map((customer) => ({
    customer,
    balances: balances
      .filter((b) => b.customer_id === customer.id)
      .map((b) => ({
        currency: b.currency,
        balanceMinor: Number(b.balance_minor),
        invoiceCount: Number(b.invoice_count),
      })),
    openDisputes: Number(disputes.find((d) => d.customer_id === customer.id)?.open_disputes ?? 0),
  }));
}

/** A customer's invoices, newest first, with the days from issue to full payment for paid ones. */
export async function listCustomerInvoiceHistory(db: DbOrTx, organizationId: string, customerId: string) {
  return db
    .selectFrom('invoices')
    .select([
      'id',
      'number',
      'currency',
      'total_minor',
      'paid_minor',
      'issue_date',
      'due_date',
      'status',
      'paid_at',
      'paused_at',
    ])
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .orderBy('issue_date', 'desc')
    .limit(500)
    .execute();
}

export async function listCustomerDisputeHistory(db: DbOrTx, organizationId: string, customerId: string) {
  return db
    .selectFrom('disputes as d')
    .innerJoin('invoices as i', 'i.id', 'd.invoice_id')
    .select(['d.id', 'd.status', 'd.reason', 'd.opened_at', 'd.resolved_at', 'i.number as invoice_number'])
    .where('d.organization_id', '=', organizationId)
    .where('d.customer_id', '=', customerId)
    .orderBy('d.opened_at', 'desc')
    .execute();
}

/** Portal links of a customer (never the token: only its hash is stored). */
export async function listCustomerPortalLinks(db: DbOrTx, organizationId: string, customerId: string) {
  return db
    .selectFrom('portal_links')
    .select(['id', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
}
