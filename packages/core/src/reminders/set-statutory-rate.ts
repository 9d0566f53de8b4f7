import {
  type AuditEntry,
  appendAuditLog,
  type Db,
  insertStatutoryRate,
  inTransaction,
  type StatutoryRateRow,
} from '@settle/db';
import { isValidDate, STATUTORY_RATE_KINDS, type StatutoryRateKind } from '@settle/domain';
import { AppError } from '../errors';

export interface StatutoryRateInput {
  organizationId: string;
  /** Untrusted: checked here, every problem named. */
  kind: string;
  validFrom: string;
  basisPoints: number;
  source: string;
  actor: AuditEntry['actor'];
}

// Wide enough for any rate a central bank has set since the euro (the NBP's was 24 % in 1998), narrow
// enough to catch percent typed as basis points the wrong way round.
const REFERENCE_RATE_RANGE = { min: -1000, max: 5000 };
// PLN per EUR × 10 000: a fixing between 0.0001 and 100 PLN.
const EXCHANGE_RATE_RANGE = { min: 1, max: 1_000_000 };

function parse(input: StatutoryRateInput): {
  kind: StatutoryRateKind;
  validFrom: string;
  basisPoints: number;
  source: string;
} {
  const details: { field: string; message: string }[] = [];
  const kind = (STATUTORY_RATE_KINDS as readonly string[]).includes(input.kind)
    ? (input.kind as StatutoryRateKind)
    : undefined;
  if (!kind) details.push({ field: 'kind', message: `expected one of ${STATUTORY_RATE_KINDS.join(', ')}` });
  if (!isValidDate(input.validFrom) || input.validFrom < '1999-01-01' || input.validFrom > '2100-12-31') {
    details.push({ field: 'validFrom', message: 'expected a date YYYY-MM-DD from 1999-01-01' });
  } else if (kind === 'de_base_rate' && !/-(01|07)-01$/.test(input.validFrom)) {
    // § 247 (1) BGB: the Basiszinssatz changes only on 1 January and 1 July.
    details.push({ field: 'validFrom', message: 'the Basiszinssatz changes only on 1 January or 1 July' });
  }
  const range = kind === 'nbp_eur_pln' ? EXCHANGE_RATE_RANGE : REFERENCE_RATE_RANGE;
  if (
    !Number.isInteger(input.basisPoints) ||
    input.basisPoints < range.min ||
    input.basisPoints > range.max
  ) {
    details.push({
      field: 'basisPoints',
      message:
        kind === 'nbp_eur_pln'
          ? `expected PLN per EUR × 10 000, a whole number from ${range.min} to ${range.max}`
          : `expected a whole number of basis points (1 % = 100) from ${range.min} to ${range.max}`,
    });
  }
  const source = input.source.trim();
  if (source === '' || source.length > 200) {
    details.push({
      field: 'source',
      message: 'expected 1 to 200 characters naming where the rate was published',
    });
  }
  if (details.length > 0 || !kind) {
    throw new AppError(
      'VALIDATION',
      `invalid statutory rate: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      {
        userMessage: 'The rate is invalid; see details.',
        details,
      },
    );
  }
  return { kind, validFrom: input.validFrom, basisPoints: input.basisPoints, source };
}

/**
 * Records an organization's own published rate (a newer rate than the built-in table has, or a
 * correction of a built-in row for the same day, which it then overrides for this organization only).
 * Rates are never edited in place, so every late charge already stated can be traced to its row.
 */
export async function setStatutoryRate(db: Db, input: StatutoryRateInput): Promise<StatutoryRateRow> {
  const rate = parse(input);
  try {
    return await inTransaction(db, async (tx) => {
      const row = await insertStatutoryRate(tx, { organizationId: input.organizationId, ...rate });
      await appendAuditLog(tx, {
        organizationId: input.organizationId,
        actor: input.actor,
        action: 'statutory_rate.created',
        subject: { type: 'statutory_rate', id: row.id },
        data: {
          kind: row.kind,
          validFrom: row.valid_from,
          basisPoints: row.basis_points,
          source: row.source,
        },
      });
      return row;
    });
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23505') {
      throw new AppError('CONFLICT', `statutory rate ${rate.kind} of ${rate.validFrom} exists`, {
        userMessage: 'Your organization already has this rate for that day.',
        details: [{ field: 'validFrom', message: `a ${rate.kind} rate from this day already exists` }],
        cause: error,
      });
    }
    throw error;
  }
}
