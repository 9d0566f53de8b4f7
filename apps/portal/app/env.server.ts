import { databaseEnv, loadConfigOrExit, logEnv, paymentsEnv, portalEnv, temporalEnv } from '@settle/config';

/** Parsed once when the server starts; a bad variable stops it with a one-line message. */
export const env = loadConfigOrExit({
  ...databaseEnv,
  ...temporalEnv,
  ...logEnv,
  ...portalEnv,
  ...paymentsEnv,
});
