import {
  databaseEnv,
  loadConfigOrExit,
  logEnv,
  messagingEnv,
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
  ...workerEnv,
});
export type WorkerEnv = typeof env;
