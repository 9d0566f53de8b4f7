import { databaseEnv, loadConfigOrExit, logEnv, portalEnv } from '@settle/config';

/** Parsed once when the server starts; a bad variable stops it with a one-line message. */
export const env = loadConfigOrExit({ ...databaseEnv, ...logEnv, ...portalEnv });
