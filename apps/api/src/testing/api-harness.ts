import { databaseEnv, loadConfig } from '@settle/config';
import { createApiKey } from '@settle/core';
import type { Customer, Db, Organization } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { createLogger } from '@settle/logging';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../app';
import type { ApiDeps } from '../deps';
import type { ApiApp } from '../http/api-app';

/** A tenant with one customer and an API key for it. */
/** A real Temporal dev server from the CLI the set-up built (no worker: API tests check workflows by id). */
function createLocalTemporal(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_CLI_PATH;
  if (!path) throw new Error('TEMPORAL_CLI_PATH is not set: run the tests through infra/settle.sh test');
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path }, extraArgs: ['--log-level', 'error'] },
  });
}

export interface TestTenant {
  organization: Organization;
  customer: Customer;
  apiKey: string;
  apiKeyId: string;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to the first tenant's key; `null` sends no Authorization header. */
  apiKey?: string | null;
}

export interface ApiHarness {
  app: ApiApp;
  db: Db;
  testDb: TestDatabase;
  /** A client of the real Temporal dev server the app talks to. */
  temporal: Client;
  /** The task queue workflows are started on; no worker polls it, so workflows wait at their start. */
  taskQueue: string;
  /** The first tenant, seeded at start. */
  tenant: TestTenant;
  /** Seeds another tenant with its own API key (for cross-tenant tests). */
  seedTenant(): Promise<TestTenant>;
  /** Calls the app in-process; the body is parsed as JSON (or left as text when it is not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field; assertions check them.
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/**
 * A fresh database, a real Temporal dev server and the app built with `createApp`, with one tenant and
 * its API key. `deps` overrides what the app is built with (a small rate limit, a payments fake).
 */
export async function createApiHarness(
  options: {
    deps?: Partial<ApiDeps>;
    /** Adds test-only routes before the first request (Hono freezes its router then). */
    configureApp?: (app: ApiApp) => void;
  } = {},
): Promise<ApiHarness> {
  const { DATABASE_URL } = loadConfig(databaseEnv);
  const [testDb, env] = await Promise.all([createTestDatabase(DATABASE_URL), createLocalTemporal()]);
  const db = testDb.db;
  const taskQueue = `api-test-${Math.random().toString(36).slice(2)}`;
  const app = createApp({
    db,
    temporal: env.client,
    logger: createLogger('api-test', 'silent'),
    namespace: env.namespace ?? 'default',
    taskQueue,
    ...options.deps,
  });
  options.configureApp?.(app);

  async function seed(): Promise<TestTenant> {
    const { organization, customer } = await seedTenant(db);
    const key = await createApiKey(db, { organizationId: organization.id, name: 'test' });
    return { organization, customer, apiKey: key.key, apiKeyId: key.id };
  }
  const tenant = await seed();

  return {
    app,
    db,
    testDb,
    temporal: env.client,
    taskQueue,
    tenant,
    seedTenant: seed,
    async request(method, path, requestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      const apiKey = requestOptions.apiKey === undefined ? tenant.apiKey : requestOptions.apiKey;
      if (apiKey !== null) headers.authorization ??= `Bearer ${apiKey}`;
      let body: string | undefined;
      if (requestOptions.body !== undefined) {
        body =
          typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON (the reference page): the text is the body.
      }
      // biome-ignore lint/suspicious/noExplicitAny: see the interface.
      return { status: response.status, headers: response.headers, body: parsed as any };
    },
    async close() {
      await env.teardown();
      await testDb.drop();
    },
  };
}
