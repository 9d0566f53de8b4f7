import { createDb } from '@settle/db';
import { createLogger } from '@settle/logging';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './app';

// Nothing here connects: the database pool and the Temporal connection are lazy.
const db = createDb({ connectionString: 'postgres://x@127.0.0.1:9/x', maxConnections: 1 });
const app = createApp({
  db,
  temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) }),
  logger: createLogger('api-test', 'silent'),
  namespace: 'default',
  taskQueue: 'reminders',
});
afterAll(() => db.destroy());

type Operation = { responses?: Record<string, unknown>; security?: unknown[]; parameters?: unknown[] };
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};

async function fetchDocument(): Promise<Document> {
  const response = await app.request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with info, paths and an API-key security scheme', async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists every /v1 route the app serves, each with responses and the API-key requirement', async () => {
    const doc = await fetchDocument();
    const served = app.routes
      .filter((r) => r.path.startsWith('/v1/') && r.method !== 'ALL' && !r.path.endsWith('*'))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(new Set(served).size).toBeGreaterThanOrEqual(25);
    expect(documented.sort()).toEqual([...new Set(served)].sort());
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(operation.responses, `${method} ${path}`).toBeDefined();
        expect(operation.security, `${method} ${path}`).toEqual([{ apiKey: [] }]);
      }
    }
  });

  it('resolves every $ref to a component it defines', async () => {
    const doc = await fetchDocument();
    for (const ref of refsIn(doc.paths)) {
      const [, , section, name] = ref.split('/');
      expect(doc.components?.[section ?? '']?.[name ?? ''], ref).toBeDefined();
    }
  });

  it('serves the interactive reference page at /docs, pointing at the document', async () => {
    const response = await app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('/openapi.json');
  });
});
