import { apiEnv, databaseEnv, loadConfigOrExit, logEnv, paymentsEnv, temporalEnv } from '@settle/config';

// In production the webhook secrets must be the providers' own: the local defaults are public, and
// anyone could sign a "paid" event with them.
export const env = loadConfigOrExit(
  { ...databaseEnv, ...temporalEnv, ...logEnv, ...apiEnv, ...paymentsEnv },
  {
    deployedSecrets: {
      when: (config) => config.NODE_ENV === 'production',
      names: ['STRIPE_WEBHOOK_SECRET', 'GOCARDLESS_WEBHOOK_SECRET'],
    },
  },
);
