import {
  databaseEnv,
  loadConfigOrExit,
  logEnv,
  messagingEnv,
  paymentsEnv,
  portalEnv,
  temporalEnv,
  workerEnv,
} from '@settle/config';

export const env = loadConfigOrExit({
  ...databaseEnv,
  ...temporalEnv,
  ...logEnv,
  ...portalEnv,
  ...messagingEnv,
  ...paymentsEnv,
  ...workerEnv,
});
export type WorkerEnv = typeof env;
