export * from './calendar';
export * from './charges';
export * from './errors';
export * from './money';
export * from './planning';
export * from './policy';
export * from './reports';
export * from './templates';
