// Kept at its old path for reminders/, which another branch is changing: delete this file once
// reminders/ imports ../policy/create-reminder-policy.
export * from './policy/create-reminder-policy';
export * from './policy/reminder-policy-input';
