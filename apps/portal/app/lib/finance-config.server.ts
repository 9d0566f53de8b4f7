import { loadConfigOrExit, messagingEnv } from '@settle/config';

/**
 * Settings the console shares with the worker: the statutory reference rate, so a template preview
 * states the same late charges the worker would put in the message.
 */
export const financeConfig = loadConfigOrExit({
  LATE_INTEREST_REFERENCE_RATE_BP: messagingEnv.LATE_INTEREST_REFERENCE_RATE_BP,
});
