import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Db = Kysely<Database>;
/** Query functions take this first: the database or a transaction inside it. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

const INT8_OID = 20;
const DATE_OID = 1082;

/** bigint minor units come back as numbers, and refuse to lose precision silently. */
function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`bigint ${value} exceeds the safe integer range`);
  return parsed;
}

// Per-pool parsers, so importing this package never changes pg's global behaviour.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    // A calendar day stays 'YYYY-MM-DD': turning it into a Date would shift it by the server's zone.
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface CreateDbOptions {
  connectionString: string;
  maxConnections?: number;
  applicationName?: string;
}

export function createDb({ connectionString, maxConnections = 10, applicationName }: CreateDbOptions): Db {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    types,
    connectionTimeoutMillis: 5_000,
    ...(applicationName ? { application_name: applicationName } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
