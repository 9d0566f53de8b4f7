import type { DbOrTx } from '../client';

/** The raw rows an invoice's timeline is built from, each filtered by organization and invoice. */
export async function listInvoiceTimelineRows(db: DbOrTx, organizationId: string, invoiceId: string) {
  const [messages, payments, disputes, promises, audit] = await Promise.all([
    db
      .selectFrom('communications as m')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'm.id')
      .select([
        'm.id',
        'm.channel',
        'm.subject',
        'm.status',
        'm.recipient',
        'm.step_key',
        'm.provider',
        'm.error',
        'm.created_at',
        'm.sent_at',
      ])
      .where('ci.organization_id', '=', organizationId)
      .where('m.organization_id', '=', organizationId)
      .where('ci.invoice_id', '=', invoiceId)
      .execute(),
    db
      .selectFrom('payments as p')
      .innerJoin('payment_allocations as a', 'a.payment_id', 'p.id')
      .select([
        'p.id',
        'p.provider',
        'p.method',
        'p.status',
        'p.currency',
        'p.amount_minor',
        'p.received_at',
        'a.amount_minor as allocated_minor',
      ])
      .where('a.organization_id', '=', organizationId)
      .where('p.organization_id', '=', organizationId)
      .where('a.invoice_id', '=', invoiceId)
      .execute(),
    db
      .selectFrom('disputes')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('invoice_id', '=', invoiceId)
      .execute(),
    db
      .selectFrom('promises_to_pay')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('invoice_id', '=', invoiceId)
      .execute(),
    db
      .selectFrom('audit_log')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('subject_type', '=', 'invoice')
      .where('subject_id', '=', invoiceId)
      .execute(),
  ]);
  return { messages, payments, disputes, promises, audit };
}
