// Kept at its old path for reminders/, which another branch is changing: delete this file once
// reminders/ imports ../debtor-portal/get-debtor-invoice.
export * from './debtor-portal/get-debtor-invoice';
