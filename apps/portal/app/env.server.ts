import { databaseEnv, loadConfigOrExit, logEnv, paymentsEnv, portalEnv, temporalEnv } from '@settle/config';

/**
 * Parsed once when the server starts; a bad variable stops it with a one-line message. Served over
 * HTTPS (a real deployment: remix-serve always says NODE_ENV=production, even locally), the debtor
 * session secret must not be the public local default, or anyone could forge a debtor's session.
 */
export const env = loadConfigOrExit(
  { ...databaseEnv, ...temporalEnv, ...logEnv, ...portalEnv, ...paymentsEnv },
  {
    deployedSecrets: {
      when: (config) => new URL(config.PORTAL_BASE_URL).protocol === 'https:',
      names: ['PORTAL_SESSION_SECRET'],
    },
  },
);
