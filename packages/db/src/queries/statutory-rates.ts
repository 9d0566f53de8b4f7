import { sql } from 'kysely';
import type { DbOrTx } from '../client';
import type { StatutoryRateKind, StatutoryRateRow } from '../schema';

/**
 * The rates an organization works with, by kind and day: its own rows and the built-in ones, where its
 * row replaces the built-in row of the same kind and `valid_from`. With `from`, the list starts at the
 * row in force on that day (the latest on or before it), so a late period that began before a change
 * still finds its rate; with `to`, it ends at the last row valid by then. Ordered by kind, then day.
 */
export async function listStatutoryRates(
  db: DbOrTx,
  organizationId: string,
  options: { kinds?: readonly StatutoryRateKind[]; from?: string; to?: string } = {},
): Promise<StatutoryRateRow[]> {
  let query = db
    .selectFrom('statutory_rates')
    .selectAll()
    .distinctOn(['kind', 'valid_from'])
    .where((eb) => eb.or([eb('organization_id', '=', organizationId), eb('organization_id', 'is', null)]));
  if (options.kinds) {
    if (options.kinds.length === 0) return [];
    query = query.where('kind', 'in', options.kinds);
  }
  if (options.to) query = query.where('valid_from', '<=', options.to);
  // DISTINCT ON keeps the first row of each (kind, day): the organization's, because false sorts first.
  const rows = await query
    .orderBy('kind')
    .orderBy('valid_from')
    .orderBy(sql`organization_id IS NULL`)
    .execute();
  const { from } = options;
  if (!from) return rows;
  // A handful of rows per kind: trimming here keeps the SQL one plain DISTINCT ON.
  const startOf = new Map<string, string>();
  for (const row of rows) {
    if (row.valid_from <= from) startOf.set(row.kind, row.valid_from);
  }
  return rows.filter((row) => row.valid_from >= (startOf.get(row.kind) ?? from));
}

/** Records an organization's own rate; a second one for the same kind and day is a unique violation. */
export async function insertStatutoryRate(
  db: DbOrTx,
  values: {
    organizationId: string;
    kind: StatutoryRateKind;
    validFrom: string;
    basisPoints: number;
    source: string;
  },
): Promise<StatutoryRateRow> {
  return db
    .insertInto('statutory_rates')
    .values({
      organization_id: values.organizationId,
      kind: values.kind,
      valid_from: values.validFrom,
      basis_points: values.basisPoints,
      source: values.source,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
