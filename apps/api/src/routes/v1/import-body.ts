import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AppError, type ImportRow } from '@settle/core';
import { CsvError, parse } from 'csv-parse';
import { HTTPException } from 'hono/http-exception';

/**
 * Turns an import request's body into rows, without holding a CSV file in memory: CSV is parsed as it
 * arrives, row by row. JSON (an array of objects) is read whole, so its cap is lower.
 */

/** The largest CSV body accepted (streamed). */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;
/** The largest JSON body accepted (parsed whole). */
export const MAX_JSON_BYTES = 10 * 1024 * 1024;

export type ImportFormat = 'csv' | 'json';

function tooLarge(limit: number): HTTPException {
  return new HTTPException(413, {
    message: `the body exceeds ${limit / 1024 / 1024} MB; split the file into several imports`,
  });
}

/** The body's format from its Content-Type; anything else is a 415 naming what is accepted. */
export function importFormatOf(contentType: string | undefined): ImportFormat {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  throw new HTTPException(415, {
    message: 'send the rows as text/csv (with a header row) or application/json (an array of objects)',
  });
}

/** Header cells become column names: `Customer Code` → `customer_code`. */
export function columnName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const DELIMITERS: Record<string, string> = { ',': ',', ';': ';', tab: '\t', '\t': '\t' };

/** The CSV delimiter from the `delimiter` query parameter (`,` by default, `;` or `tab`). */
export function csvDelimiter(value: string | undefined): string {
  if (value === undefined) return ',';
  const delimiter = DELIMITERS[value];
  if (!delimiter) {
    throw new AppError('VALIDATION', `bad delimiter ${value}`, {
      details: [{ field: 'delimiter', message: 'expected , or ; or tab' }],
    });
  }
  return delimiter;
}

/**
 * CSV rows as they arrive. `line` is the file's line number (the header is line 1; a record spanning
 * several lines carries its last). Malformed CSV (an unclosed quote, a row with the wrong number of
 * cells) stops the import with a 400 naming the line; more than `maxBytes` stops it with a 413.
 */
export async function* csvRows(
  body: ReadableStream<Uint8Array> | null,
  options: { delimiter?: string; maxBytes?: number } = {},
): AsyncGenerator<ImportRow> {
  if (!body) return;
  const maxBytes = options.maxBytes ?? MAX_CSV_BYTES;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
  const parser = parse({
    columns: (header: string[]) => header.map(columnName),
    bom: true,
    delimiter: options.delimiter ?? ',',
    info: true,
    skip_empty_lines: true,
    trim: true,
  });
  // pipeline destroys every stage when one fails, so the loop below ends with that stage's error.
  pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), counter, parser, () => {});
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: info.lines, fields: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new AppError('VALIDATION', `malformed CSV: ${error.message}`, {
        userMessage: 'The CSV file is malformed; see details.',
        details: [{ field: 'body', message: error.message, ...(line !== undefined ? { line } : {}) }],
      });
    }
    throw error;
  } finally {
    // The import may stop reading early (too many bad rows): release the request body.
    parser.destroy();
  }
}

/** Reads the whole body as text, refusing more than `maxBytes` as it arrives. */
async function readText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON rows: the body is an array of objects; `line` is each object's index in the array (from 0). */
export async function* jsonRows(
  body: ReadableStream<Uint8Array> | null,
  options: { maxBytes?: number } = {},
): AsyncGenerator<ImportRow> {
  const text = await readText(body, options.maxBytes ?? MAX_JSON_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError('VALIDATION', 'malformed JSON', {
      userMessage: 'The body is not valid JSON; see details.',
      details: [{ field: 'body', message: error instanceof Error ? error.message : 'not JSON' }],
    });
  }
  if (!Array.isArray(parsed)) {
    throw new AppError('VALIDATION', 'JSON import body is not an array', {
      details: [{ field: 'body', message: 'expected an array of objects' }],
    });
  }
  for (const [index, item] of parsed.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new AppError('VALIDATION', `JSON import element ${index} is not an object`, {
        details: [{ field: `body.${index}`, message: 'expected an object' }],
      });
    }
    yield { line: index, fields: item as Record<string, unknown> };
  }
}

/** The rows of an import request, by its Content-Type; a declared length over the cap is refused at once. */
export function importRows(request: Request, options: { delimiter?: string }): AsyncIterable<ImportRow> {
  const format = importFormatOf(request.headers.get('content-type') ?? undefined);
  const limit = format === 'csv' ? MAX_CSV_BYTES : MAX_JSON_BYTES;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  return format === 'csv'
    ? csvRows(request.body, { delimiter: csvDelimiter(options.delimiter) })
    : jsonRows(request.body);
}
