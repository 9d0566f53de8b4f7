import { apiEnv, databaseEnv, loadConfigOrExit, logEnv, paymentsEnv, temporalEnv } from '@settle/config';

export const env = loadConfigOrExit({ ...databaseEnv, ...temporalEnv, ...logEnv, ...apiEnv, ...paymentsEnv });
