export * from './accept-event';
export * from './gocardless';
export * from './local-checkout';
export * from './payment-sessions';
export * from './provider-events';
export * from './reconcile';
export * from './stripe';
