import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { Db } from './client';
import * as m0001 from './migrations/0001_initial_schema';
import * as m0002 from './migrations/0002_documents';
import * as m0003 from './migrations/0003_payment_events';
import * as m0004 from './migrations/0004_idempotency_keys';
import * as m0005 from './migrations/0005_dispute_attachments';
import * as m0006 from './migrations/0006_reminder_engine_settings';
import * as m0007 from './migrations/0007_statutory_rates';
import * as m0008 from './migrations/0008_payment_allocations';
import * as m0009 from './migrations/0009_communication_sending_started';
import * as m0010 from './migrations/0010_open_invoices_sweep';
import * as m0011 from './migrations/0011_customer_day_slot';

// A static list (not a folder scan) so bundlers and tsx see the same migrations.
const migrations: Record<string, Migration> = {
  '0001_initial_schema': m0001,
  '0002_documents': m0002,
  '0003_payment_events': m0003,
  '0004_idempotency_keys': m0004,
  '0005_dispute_attachments': m0005,
  '0006_reminder_engine_settings': m0006,
  '0007_statutory_rates': m0007,
  '0008_payment_allocations': m0008,
  '0009_communication_sending_started': m0009,
  '0010_open_invoices_sweep': m0010,
  '0011_customer_day_slot': m0011,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrationReport {
  applied: string[];
}

/** Applies every pending migration, forward only. Safe to call from several processes at once. */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  return { applied: results.map((r) => r.migrationName) };
}
