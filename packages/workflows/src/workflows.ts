// The worker's workflow entry point: everything exported here is a workflow type.

export { deliverMessageWorkflow } from './deliver-message';
export { invoiceReminderWorkflow } from './invoice-reminders';
export { paymentEventWorkflow, reconcilePaymentsWorkflow } from './payment-events';
export { reconcileInvoiceWorkflowsWorkflow } from './reconcile-sweep';
