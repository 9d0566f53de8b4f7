export * from './payment-sessions';
