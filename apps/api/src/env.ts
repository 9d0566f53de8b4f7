import { apiEnv, databaseEnv, loadConfigOrExit, logEnv, temporalEnv } from '@settle/config';

export const env = loadConfigOrExit({ ...databaseEnv, ...temporalEnv, ...logEnv, ...apiEnv });
