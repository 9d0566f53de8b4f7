export * from './client';
export * from './contract';
export * from './payment-contract';
export * from './message-client';
export * from './message-delivery';
