import { AppError, type ImportRow } from '@settle/core';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { columnName, csvRows, importFormatOf, jsonRows } from './import-body';

function streamOf(text: string, chunkSize = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

async function collect(rows: AsyncIterable<ImportRow>): Promise<ImportRow[]> {
  const out: ImportRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('csvRows', () => {
  it('yields records as they arrive with their file line numbers and normalized column names', async () => {
    const text =
      '\uFEFFCustomer Code, Name \r\nA1,Alpha\r\n\r\nB2,"Beta, ""the second"""\r\nC3,"Multi\nline"\r\n';
    expect(await collect(csvRows(streamOf(text)))).toEqual([
      { line: 2, fields: { customer_code: 'A1', name: 'Alpha' } },
      { line: 4, fields: { customer_code: 'B2', name: 'Beta, "the second"' } },
      { line: 6, fields: { customer_code: 'C3', name: 'Multi\nline' } },
    ]);
  });

  it('reads another delimiter', async () => {
    expect(await collect(csvRows(streamOf('code;name\nA;Alpha\n'), { delimiter: ';' }))).toEqual([
      { line: 2, fields: { code: 'A', name: 'Alpha' } },
    ]);
  });

  it('stops with a 413 once the body passes the limit, even without a declared length', async () => {
    const text = `code,name\n${'X,Y\n'.repeat(1000)}`;
    const attempt = collect(csvRows(streamOf(text, 64), { maxBytes: 1024 }));
    await expect(attempt).rejects.toBeInstanceOf(HTTPException);
    await expect(attempt).rejects.toMatchObject({ status: 413 });
  });

  it('turns malformed CSV into a validation error naming the line', async () => {
    const attempt = collect(csvRows(streamOf('code,name\nA,B\n"C,D\n')));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION',
      options: { details: [{ field: 'body' }] },
    });
  });
});

describe('jsonRows', () => {
  it('yields each object with its array index', async () => {
    expect(await collect(jsonRows(streamOf('[{"code":"A"},{"code":"B"}]')))).toEqual([
      { line: 0, fields: { code: 'A' } },
      { line: 1, fields: { code: 'B' } },
    ]);
  });

  it('refuses a body that is not an array of objects, naming it', async () => {
    await expect(collect(jsonRows(streamOf('{"code":"A"}')))).rejects.toMatchObject({
      options: { details: [{ field: 'body', message: 'expected an array of objects' }] },
    });
    await expect(collect(jsonRows(streamOf('[1]')))).rejects.toMatchObject({
      options: { details: [{ field: 'body.0', message: 'expected an object' }] },
    });
    await expect(collect(jsonRows(streamOf('[{')))).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('importFormatOf and columnName', () => {
  it('accepts CSV and JSON content types with parameters, and refuses others with a 415', () => {
    expect(importFormatOf('text/csv; charset=utf-8')).toBe('csv');
    expect(importFormatOf('Application/JSON')).toBe('json');
    expect(() => importFormatOf('application/xml')).toThrow(HTTPException);
    expect(() => importFormatOf(undefined)).toThrow(HTTPException);
    expect(columnName(' Time-Zone ')).toBe('time_zone');
  });
});
