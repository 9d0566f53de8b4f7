import { createLogger } from '@settle/logging';
import { invoiceWorkflowId } from '@settle/workflows';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const postCsv = (
  path: string,
  body: string,
  extra: { apiKey?: string; headers?: Record<string, string> } = {},
) =>
  h.request('POST', path, {
    body,
    headers: { 'content-type': 'text/csv', ...extra.headers },
    ...(extra.apiKey ? { apiKey: extra.apiKey } : {}),
  });

async function countInvoices(organizationId: string): Promise<number> {
  const row = await h.db
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function workflowStatus(invoiceId: string): Promise<string | undefined> {
  const description = await h.temporal.workflow.getHandle(invoiceWorkflowId(invoiceId)).describe();
  return description.status.name;
}

describe('POST /v1/imports/customers', () => {
  it('creates customers from CSV with decimal credit limits in minor units and organization defaults', async () => {
    const response = await postCsv(
      '/v1/imports/customers',
      csv(
        'Code,Name,Email,Phone,Country,Locale,Time Zone,Credit Limit,Currency,Segment',
        'IMP-C1,Initech Ltd,ap@initech.example,+44 20 7946 0958,GB,en,Europe/London,12500.00,GBP,key',
        'IMP-C2,Globex SA,,,FR,fr,Europe/Paris,1500.5,,',
        'IMP-C3,Umbrella GmbH,,,,,,,,',
      ),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, rows: 3, created: 3, updated: 0 });
    const rows = await h.db
      .selectFrom('customers')
      .selectAll()
      .where('organization_id', '=', h.tenant.organization.id)
      .where('code', 'like', 'IMP-C%')
      .orderBy('code')
      .execute();
    expect(
      rows.map((r) => [r.code, r.phone, r.credit_limit_minor, r.credit_limit_currency, r.segment]),
    ).toEqual([
      ['IMP-C1', '+442079460958', 1_250_000, 'GBP', 'key'],
      // No currency given: the organization's default (EUR) and its two decimals.
      ['IMP-C2', null, 150_050, 'EUR', null],
      ['IMP-C3', null, null, null, null],
    ]);
    // Empty country, locale and time zone take the organization's defaults.
    expect([rows[2]?.country, rows[2]?.locale, rows[2]?.time_zone]).toEqual(['PL', 'en', 'Europe/Warsaw']);
  });

  it('updates existing codes with only the columns the file carries, and a second run changes nothing', async () => {
    const first = await postCsv(
      '/v1/imports/customers',
      csv('code,name,email', 'IMP-U1,Old Name,old@example.com'),
    );
    expect(first.body).toMatchObject({ created: 1, updated: 0 });
    const body = csv('code,name,city', 'IMP-U1,New Name,Kraków');
    const second = await postCsv('/v1/imports/customers', body);
    expect(second.body).toEqual({ ok: true, rows: 1, created: 0, updated: 1 });
    const again = await postCsv('/v1/imports/customers', body);
    expect(again.body).toEqual({ ok: true, rows: 1, created: 0, updated: 1 });
    const row = await h.db
      .selectFrom('customers')
      .selectAll()
      .where('organization_id', '=', h.tenant.organization.id)
      .where('code', '=', 'IMP-U1')
      .executeTakeFirstOrThrow();
    expect([row.name, row.email, row.city]).toEqual(['New Name', 'old@example.com', 'Kraków']);
  });

  it("creates a new customer in the caller's tenant when the code exists only in another tenant", async () => {
    await postCsv('/v1/imports/customers', csv('code,name', 'IMP-SHARED,Mine'));
    const response = await postCsv('/v1/imports/customers', csv('code,name', 'IMP-SHARED,Theirs'), {
      apiKey: other.apiKey,
    });
    expect(response.body).toMatchObject({ created: 1, updated: 0 });
    const names = await h.db
      .selectFrom('customers')
      .select(['organization_id', 'name'])
      .where('code', '=', 'IMP-SHARED')
      .execute();
    expect(names).toHaveLength(2);
    expect(names.find((n) => n.organization_id === h.tenant.organization.id)?.name).toBe('Mine');
  });

  it('answers 422 listing every bad row with its line and column, and writes nothing', async () => {
    const response = await postCsv(
      '/v1/imports/customers',
      csv(
        'code,name,email,country,locale,time_zone,credit_limit,currency,colour',
        'IMP-B1,Good Row,,,,,,,',
        ',Missing Code,,,,,,,',
        'IMP-B3,Bad Fields,not-an-email,Germany,xx,Mars/Olympus,12.345,EUR,',
        'IMP-B4,Bad Currency,,,,,100,EURO,',
        'IMP-B1,Twice,,,,,,,',
      ),
    );
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'VALIDATION',
      message: '9 bad rows; nothing was imported',
      rows: 5,
      truncated: false,
      requestId: expect.any(String),
    });
    expect(response.body.error.details).toEqual([
      { line: 2, field: 'colour', message: expect.stringContaining('unknown column') },
      { line: 3, field: 'code', message: 'required' },
      { line: 4, field: 'credit_limit', message: 'has more than 2 decimal places for EUR' },
      { line: 4, field: 'email', message: 'expected an e-mail address' },
      { line: 4, field: 'country', message: 'expected an ISO 3166 country code such as DE' },
      { line: 4, field: 'locale', message: expect.stringContaining('expected one of') },
      { line: 4, field: 'time_zone', message: 'expected an IANA time zone such as Europe/Berlin' },
      { line: 5, field: 'currency', message: 'expected an ISO 4217 currency code such as EUR' },
      { line: 6, field: 'code', message: 'code IMP-B1 appears again (first at line 2)' },
    ]);
    const written = await h.db
      .selectFrom('customers')
      .select('code')
      .where('code', 'like', 'IMP-B%')
      .execute();
    expect(written).toEqual([]);
  });

  it('imports a JSON array the same way, naming bad objects by their array index', async () => {
    const bad = await h.request('POST', '/v1/imports/customers', {
      body: [
        { code: 'IMP-J1', name: 'Json One', credit_limit: '10', currency: 'EUR' },
        { code: 'IMP-J2', name: '' },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ line: 1, field: 'name', message: 'required' }]);
    const good = await h.request('POST', '/v1/imports/customers', {
      body: [
        { code: 'IMP-J1', name: 'Json One', credit_limit: '10', currency: 'EUR' },
        { code: 'IMP-J2', name: 'Json Two', credit_limit: 20.5 },
      ],
    });
    expect(good.body).toEqual({ ok: true, rows: 2, created: 2, updated: 0 });
  });

  it('updates each JSON object with only its own keys when objects carry different keys', async () => {
    await h.request('POST', '/v1/imports/customers', {
      body: [{ code: 'IMP-K1', name: 'Keys One', email: 'one@example.com', city: 'Gdańsk' }],
    });
    const response = await h.request('POST', '/v1/imports/customers', {
      body: [
        { code: 'IMP-K1', name: 'Keys One Renamed' },
        { code: 'IMP-K2', name: 'Keys Two', email: 'two@example.com' },
        { code: 'IMP-K3', name: 'Keys Three', city: null },
      ],
    });
    expect(response.body).toEqual({ ok: true, rows: 3, created: 2, updated: 1 });
    const k1 = await h.db
      .selectFrom('customers')
      .select(['name', 'email', 'city'])
      .where('organization_id', '=', h.tenant.organization.id)
      .where('code', '=', 'IMP-K1')
      .executeTakeFirstOrThrow();
    expect(k1).toEqual({ name: 'Keys One Renamed', email: 'one@example.com', city: 'Gdańsk' });
  });

  it('streams NDJSON progress lines for a large file, then the result', async () => {
    const count = 3_000;
    const lines = ['code,name,email,credit_limit'];
    for (let i = 0; i < count; i++) lines.push(`BULK-${i},Bulk Customer ${i},bulk${i}@example.com,${i}.50`);
    // A body that arrives in chunks, as an upload does: the import reads it as it comes.
    const text = csv(...lines);
    const encoder = new TextEncoder();
    const chunkSize = 16 * 1024;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= text.length) return controller.close();
        controller.enqueue(encoder.encode(text.slice(offset, offset + chunkSize)));
        offset += chunkSize;
      },
    });
    const response = await h.app.request('/v1/imports/customers', {
      method: 'POST',
      body,
      headers: {
        authorization: `Bearer ${h.tenant.apiKey}`,
        'content-type': 'text/csv',
        accept: 'application/x-ndjson',
      },
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const events = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toEqual([
      { type: 'progress', rows: 1000 },
      { type: 'progress', rows: 2000 },
      { type: 'progress', rows: 3000 },
      { type: 'result', status: 200, ok: true, rows: count, created: count, updated: 0 },
    ]);
    const last = await h.db
      .selectFrom('customers')
      .select(['credit_limit_minor'])
      .where('organization_id', '=', h.tenant.organization.id)
      .where('code', '=', 'BULK-2999')
      .executeTakeFirstOrThrow();
    expect(last.credit_limit_minor).toBe(299_950);
  }, 120_000);

  it('refuses other content types (415), oversized bodies (413) and malformed CSV (400 naming the line)', async () => {
    const xml = await h.request('POST', '/v1/imports/customers', {
      body: '<customers/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.body.error.message).toContain('text/csv');
    const huge = await postCsv('/v1/imports/customers', 'code,name\n', {
      headers: { 'content-length': String(60 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    const malformed = await postCsv('/v1/imports/customers', csv('code,name', 'A,B', 'C,D,E'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual([{ field: 'body', line: 3, message: expect.any(String) }]);
    const empty = await postCsv('/v1/imports/customers', 'code,name\n');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([
      { field: 'body', message: 'expected at least one customer row' },
    ]);
  });

  it('answers a retry with the same Idempotency-Key from the first response', async () => {
    const body = csv('code,name', 'IMP-IDEM,Idempotent');
    const headers = { 'idempotency-key': 'import-customers-1' };
    const first = await postCsv('/v1/imports/customers', body, { headers });
    expect(first.body).toEqual({ ok: true, rows: 1, created: 1, updated: 0 });
    const retry = await postCsv('/v1/imports/customers', body, { headers });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
  });

  it('ends an NDJSON answer with the 422 result, or with an error line when the file is malformed', async () => {
    const ndjson = { 'content-type': 'text/csv', accept: 'application/x-ndjson' };
    // The harness parses a one-line answer as JSON already.
    const lastLine = (body: unknown) =>
      typeof body === 'string' ? JSON.parse(body.trim().split('\n').at(-1) ?? '') : body;
    const bad = await h.request('POST', '/v1/imports/customers', {
      body: csv('code,name', 'IMP-N1,'),
      headers: ndjson,
    });
    expect(bad.status).toBe(200);
    expect(lastLine(bad.body)).toMatchObject({
      type: 'result',
      status: 422,
      error: { code: 'VALIDATION', details: [{ line: 2, field: 'name', message: 'required' }] },
    });
    const malformed = await h.request('POST', '/v1/imports/customers', {
      body: csv('code,name', 'A,B,C'),
      headers: ndjson,
    });
    expect(lastLine(malformed.body)).toMatchObject({
      type: 'error',
      status: 400,
      error: { code: 'VALIDATION', details: [{ field: 'body', line: 2 }], requestId: expect.any(String) },
    });
  });

  it('reads semicolon-separated files with ?delimiter=;', async () => {
    const response = await postCsv(
      '/v1/imports/customers?delimiter=%3B',
      csv('code;name', 'IMP-SEMI;Semi Colon'),
    );
    expect(response.body).toEqual({ ok: true, rows: 1, created: 1, updated: 0 });
  });
});

describe('POST /v1/imports/invoices', () => {
  beforeAll(async () => {
    await postCsv('/v1/imports/customers', csv('code,name', 'INVC-A,Alpha', 'INVC-B,Beta'));
    // A code that exists only in another tenant.
    await postCsv('/v1/imports/customers', csv('code,name', 'FOREIGN,Foreign'), { apiKey: other.apiKey });
  });

  const goodInvoices = csv(
    'number,customer_code,issue_date,due_date,currency,description,quantity,unit_price,tax_rate,total',
    'IMP-1,INVC-A,2026-03-01,2026-03-31,EUR,Consulting,1.5,19.99,23,',
    'IMP-1,INVC-A,2026-03-01,2026-03-31,EUR,Travel,,100,,',
    'IMP-2,INVC-B,2026-03-05,2026-04-04,PLN,,,,,1230.00',
    'IMP-3,INVC-B,2026-03-05,2026-04-04,JPY,Licence,2,15000,10,33000',
  );

  it('imports a CSV of line rows and total rows and starts a reminder workflow per invoice', async () => {
    const response = await postCsv('/v1/imports/invoices', goodInvoices);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: true,
      rows: 4,
      created: 3,
      skipped: 0,
      workflows: { started: 3, alreadyRunning: 0, notStarted: 0, notStartedNumbers: [] },
    });
    const invoices = await h.db
      .selectFrom('invoices')
      .select(['id', 'number', 'currency', 'total_minor', 'status'])
      .where('organization_id', '=', h.tenant.organization.id)
      .where('number', 'like', 'IMP-%')
      .orderBy('number')
      .execute();
    expect(invoices.map((i) => [i.number, i.currency, i.total_minor, i.status])).toEqual([
      ['IMP-1', 'EUR', 13_688, 'open'], // 1.5 × 19.99 + 23 % = 36.88, + 100.00
      ['IMP-2', 'PLN', 123_000, 'open'],
      ['IMP-3', 'JPY', 33_000, 'open'], // 2 × 15000 + 10 %
    ]);
    const lines = await h.db
      .selectFrom('invoice_lines')
      .select(['description', 'quantity_milli', 'unit_price_minor', 'tax_rate_basis_points', 'total_minor'])
      .where('invoice_id', '=', invoices[0]?.id ?? '')
      .orderBy('position')
      .execute();
    expect(lines).toEqual([
      {
        description: 'Consulting',
        quantity_milli: 1500,
        unit_price_minor: 1999,
        tax_rate_basis_points: 2300,
        total_minor: 3688,
      },
      {
        description: 'Travel',
        quantity_milli: 1000,
        unit_price_minor: 10_000,
        tax_rate_basis_points: 0,
        total_minor: 10_000,
      },
    ]);
    for (const invoice of invoices) expect(await workflowStatus(invoice.id)).toBe('RUNNING');
  });

  it('skips invoices already imported unchanged, and refuses a number reused for a different invoice', async () => {
    const again = await postCsv('/v1/imports/invoices', goodInvoices);
    expect(again.body).toEqual({
      ok: true,
      rows: 4,
      created: 0,
      skipped: 3,
      workflows: { started: 0, alreadyRunning: 3, notStarted: 0, notStartedNumbers: [] },
    });
    const changed = await postCsv(
      '/v1/imports/invoices',
      csv(
        'number,customer_code,issue_date,due_date,currency,total',
        'IMP-2,INVC-B,2026-03-05,2026-04-04,PLN,999.00',
      ),
    );
    expect(changed.status).toBe(422);
    expect(changed.body.error.details).toEqual([
      {
        line: 2,
        field: 'number',
        message: 'invoice IMP-2 exists with a different customer, currency, total or dates',
      },
    ]);
  });

  it('answers 422 listing each bad row with line and reason, and writes nothing', async () => {
    const before = await countInvoices(h.tenant.organization.id);
    const response = await postCsv(
      '/v1/imports/invoices',
      csv(
        'number,customer_code,issue_date,due_date,currency,description,quantity,unit_price,tax_rate,total',
        'BAD-1,INVC-A,2026-03-01,2026-03-31,EUR,,,,,100.00',
        'BAD-2,FOREIGN,2026-03-01,2026-03-31,EUR,,,,,100.00',
        'BAD-3,INVC-A,2026-02-30,2026-03-31,EUR,,,,,100.00',
        'BAD-4,INVC-A,2026-03-01,2026-03-31,XYZ1,,,,,100.00',
        'BAD-5,INVC-A,2026-03-01,2026-03-31,EUR,Work,1,12.345,,',
        'BAD-5,INVC-A,2026-03-01,2026-04-30,EUR,More,1,1,,',
        'BAD-6,INVC-A,2026-03-01,2026-03-31,EUR,,,,,',
        'BAD-1,INVC-A,2026-03-01,2026-03-31,EUR,,,,,100.00',
      ),
    );
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { line: 3, field: 'customer_code', message: 'no customer with code FOREIGN' },
      { line: 4, field: 'issue_date', message: 'expected a date YYYY-MM-DD' },
      { line: 5, field: 'currency', message: 'expected an ISO 4217 currency code such as EUR' },
      { line: 6, field: 'unit_price', message: 'has more than 2 decimal places for EUR' },
      { line: 7, field: 'due_date', message: 'differs from line 6 of invoice BAD-5' },
      { line: 8, field: 'total', message: 'required when the row has no unit_price' },
      {
        line: 9,
        field: 'number',
        message: 'invoice BAD-1 appears again (first at line 2); the rows of one invoice must be consecutive',
      },
    ]);
    expect(await countInvoices(h.tenant.organization.id)).toBe(before);
  });

  it('imports a JSON array the same way, naming bad objects by their array index', async () => {
    const before = await countInvoices(h.tenant.organization.id);
    const bad = await h.request('POST', '/v1/imports/invoices', {
      body: [
        {
          number: 'J-1',
          customer_code: 'INVC-A',
          issue_date: '2026-03-01',
          due_date: '2026-03-31',
          currency: 'EUR',
          total: '50.00',
        },
        {
          number: 'J-2',
          customer_code: 'NOPE',
          issue_date: '2026-03-01',
          due_date: '2026-03-31',
          currency: 'EUR',
          total: '50.00',
        },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([
      { line: 1, field: 'customer_code', message: 'no customer with code NOPE' },
    ]);
    expect(await countInvoices(h.tenant.organization.id)).toBe(before);
    const good = await h.request('POST', '/v1/imports/invoices', {
      body: [
        {
          number: 'J-1',
          customer_code: 'INVC-A',
          issue_date: '2026-03-01',
          due_date: '2026-03-31',
          currency: 'EUR',
          total: '50.00',
        },
      ],
    });
    expect(good.body).toMatchObject({ ok: true, created: 1, workflows: { started: 1 } });
  });

  it('streams NDJSON progress for thousands of line rows across batches and starts every workflow', async () => {
    const invoices = 1_200;
    const lines = [
      'number,customer_code,issue_date,due_date,currency,description,quantity,unit_price,tax_rate',
    ];
    for (let i = 0; i < invoices; i++) {
      lines.push(`BULK-${i},INVC-A,2026-03-01,2026-03-31,EUR,Goods,2,10.00,23`);
      lines.push(`BULK-${i},INVC-A,2026-03-01,2026-03-31,EUR,Shipping,1,5.00,0`);
    }
    const response = await h.request('POST', '/v1/imports/invoices', {
      body: csv(...lines),
      headers: { 'content-type': 'text/csv', accept: 'application/x-ndjson' },
    });
    expect(response.status).toBe(200);
    const events = String(response.body)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toEqual([
      { type: 'progress', rows: 1000 },
      { type: 'progress', rows: 2000 },
      {
        type: 'result',
        status: 200,
        ok: true,
        rows: 2 * invoices,
        created: invoices,
        skipped: 0,
        workflows: { started: invoices, alreadyRunning: 0, notStarted: 0, notStartedNumbers: [] },
      },
    ]);
    const totals = await h.db
      .selectFrom('invoices')
      .select(['total_minor'])
      .distinct()
      .where('organization_id', '=', h.tenant.organization.id)
      .where('number', 'like', 'BULK-%')
      .execute();
    expect(totals).toEqual([{ total_minor: 2_960 }]); // 2 × 10.00 + 23 % = 24.60, + 5.00
  }, 120_000);

  it('keeps the invoices when Temporal is unreachable, reports the workflows not started, and a re-send starts them', async () => {
    const offline = createApp({
      db: h.db,
      temporal: new Client({
        connection: Connection.lazy({ address: '127.0.0.1:9', connectTimeout: '1 second' }),
      }),
      logger: createLogger('api-test', 'silent'),
      namespace: 'default',
      taskQueue: h.taskQueue,
    });
    const file = csv(
      'number,customer_code,issue_date,due_date,currency,total',
      'OFF-1,INVC-A,2026-03-01,2026-03-31,EUR,10.00',
      'OFF-2,INVC-A,2026-03-01,2026-03-31,EUR,20.00',
    );
    const response = await offline.request('/v1/imports/invoices', {
      method: 'POST',
      body: file,
      headers: { authorization: `Bearer ${h.tenant.apiKey}`, 'content-type': 'text/csv' },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      created: number;
      workflows: { notStarted: number; notStartedNumbers: string[] };
    };
    expect(result.created).toBe(2);
    expect(result.workflows.notStarted).toBe(2);
    expect(result.workflows.notStartedNumbers.sort()).toEqual(['OFF-1', 'OFF-2']);

    const resend = await postCsv('/v1/imports/invoices', file);
    expect(resend.body).toEqual({
      ok: true,
      rows: 2,
      created: 0,
      skipped: 2,
      workflows: { started: 2, alreadyRunning: 0, notStarted: 0, notStartedNumbers: [] },
    });
  }, 120_000);
});
