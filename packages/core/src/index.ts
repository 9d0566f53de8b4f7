export * from './api-keys';
export * from './errors';
export * from './invoice-events';
export * from './passwords';
export * from './portal-links';
export * from './reminder-policies';
export * from './staff-sessions';
export * from './templates';
