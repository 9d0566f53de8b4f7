import { type DbOrTx, listStatutoryRates, type StatutoryRateRow } from '@settle/db';
import type { StatutoryRateKind } from '@settle/domain';

/**
 * The rates an organization's late charges are computed with: built-in rows and its own, its own
 * replacing a built-in row of the same kind and day. `from` starts at the rate in force on that day.
 */
export async function listOrganizationStatutoryRates(
  db: DbOrTx,
  input: { organizationId: string; kind?: StatutoryRateKind; from?: string; to?: string },
): Promise<StatutoryRateRow[]> {
  return listStatutoryRates(db, input.organizationId, {
    ...(input.kind ? { kinds: [input.kind] } : {}),
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
  });
}
