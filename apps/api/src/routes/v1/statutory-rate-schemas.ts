import { z } from '@hono/zod-openapi';
import type { StatutoryRateRow } from '@settle/db';
import { STATUTORY_RATE_KINDS } from '@settle/domain';
import { CalendarDateSchema } from '../../http/schemas';

const KIND_DESCRIPTION =
  'ecb_main_refinancing (EU, FR), de_base_rate (DE Basiszinssatz), nbp_reference (PL), boe_base (UK) in basis points; nbp_eur_pln: NBP mid rate, PLN per EUR × 10 000.';

export const StatutoryRateKindSchema = z
  .enum(STATUTORY_RATE_KINDS)
  .openapi({ description: KIND_DESCRIPTION });

export const StatutoryRateSchema = z
  .object({
    id: z.uuid(),
    kind: StatutoryRateKindSchema,
    validFrom: CalendarDateSchema.openapi({
      description: 'In force from this day until the next rate of its kind.',
    }),
    basisPoints: z
      .number()
      .int()
      .openapi({ example: 215, description: '1 % = 100; for nbp_eur_pln 4.2730 = 42730.' }),
    source: z.string(),
    scope: z.enum(['built_in', 'organization']).openapi({
      description:
        'built_in: shipped with Settle; organization: your own, overriding a built-in row of the same day.',
    }),
    createdAt: z.iso.datetime(),
  })
  .openapi('StatutoryRate');

export const StatutoryRateInputSchema = z
  .object({
    kind: StatutoryRateKindSchema,
    validFrom: CalendarDateSchema,
    basisPoints: z.number().int('expected a whole number of basis points').openapi({ example: 200 }),
    source: z.string().openapi({ example: 'Deutsche Bundesbank, Bundesanzeiger of 2025-12-24' }),
  })
  .openapi('StatutoryRateInput');

export function toStatutoryRateDto(row: StatutoryRateRow): z.infer<typeof StatutoryRateSchema> {
  return {
    id: row.id,
    kind: row.kind,
    validFrom: row.valid_from,
    basisPoints: row.basis_points,
    source: row.source,
    scope: row.organization_id === null ? 'built_in' : 'organization',
    createdAt: row.created_at.toISOString(),
  };
}
