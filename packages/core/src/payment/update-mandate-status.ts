import type { PaymentEventCommand } from './payment-event-command';
import type { ApplyContext } from './payment-event-context';

/** A GoCardless mandate changed: the status is kept on its customer. */
export async function updateMandateStatus(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'mandate' }>,
): Promise<void> {
  const updated = await context.tx
    .updateTable('customers')
    .set({ gocardless_mandate_status: command.status, updated_at: context.now })
    .where('gocardless_mandate_id', '=', command.mandateId)
    .returning(['organization_id'])
    .executeTakeFirst();
  if (updated) context.organizationId = updated.organization_id;
}
