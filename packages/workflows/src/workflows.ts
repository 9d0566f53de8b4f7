// The worker's workflow entry point: everything exported here is a workflow type.
export { invoiceReminderWorkflow } from './invoice-reminders';
