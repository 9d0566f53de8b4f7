import { createDb } from '@settle/db';
import { env } from './env.server';

export const db = createDb({ connectionString: env.DATABASE_URL, applicationName: 'portal' });
