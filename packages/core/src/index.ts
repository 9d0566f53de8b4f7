export * from './api-keys';
export * from './errors';
export * from './portal-links';
export * from './reminder-policies';
export * from './passwords';
