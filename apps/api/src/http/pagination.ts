import { z } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import type { PageCursor } from '@settle/db';

/** Cursor pagination: `?limit=&cursor=`, answered `{ data, nextCursor }`; the cursor is opaque. */

export const PaginationQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 50 }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: '`nextCursor` of the previous page.' }),
});

export function paginatedSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    })
    .openapi(name);
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string | undefined): PageCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    const [at, id] = z.tuple([z.iso.datetime(), z.uuid()]).parse(parsed);
    return { at, id };
  } catch {
    throw new AppError('VALIDATION', 'malformed cursor', {
      userMessage: 'The cursor is not one this API gave out.',
      details: [{ field: 'cursor', message: 'expected the nextCursor of a previous page' }],
    });
  }
}

/** The query's page options: decoded cursor and limit. */
export function pageOf(query: { limit: number; cursor?: string | undefined }): {
  limit: number;
  after?: PageCursor;
} {
  const after = decodeCursor(query.cursor);
  return after ? { limit: query.limit, after } : { limit: query.limit };
}

/** The response body of a page of rows mapped to DTOs. */
export function pageBody<Row, Dto>(
  page: { rows: Row[]; next: PageCursor | null },
  toDto: (row: Row) => Dto,
): { data: Dto[]; nextCursor: string | null } {
  return { data: page.rows.map(toDto), nextCursor: page.next ? encodeCursor(page.next) : null };
}
