import { Client, Connection } from '@temporalio/client';
import { env } from './env.server';

// Lazy: the portal serves pages while Temporal is unreachable; signals fail with a clear error then.
const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });

/** The portal's Temporal client, for the application functions that signal invoice workflows. */
export const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
