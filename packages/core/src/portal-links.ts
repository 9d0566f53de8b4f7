// Kept at its old path for reminders/, which another branch is changing: delete this file once
// reminders/ imports ../debtor-portal/portal-links.
export * from './debtor-portal/portal-links';
export { hashToken } from './hash-token';
