import { z } from 'zod';

/**
 * Shared environment fragments. Each app composes the ones it needs into one schema and parses
 * `process.env` once at start through {@link loadConfig}; nothing else reads the environment.
 * Every variable has a local default, so a fresh checkout runs with no variables at all.
 */
export const databaseEnv = {
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// URL' })
    .default('postgres://settle:settle@127.0.0.1:5432/settle'),
  /**
   * Connections of each process's database pool (the worker's and the API's). A send holds one
   * connection for milliseconds (it renders and calls providers outside its transaction), so the
   * default suits one worker with 20 concurrent activities; PostgreSQL's max_connections must cover
   * every process's pool.
   */
  DATABASE_POOL_SIZE: z.coerce.number({ error: 'expected a whole number' }).int().min(1).max(500).default(10),
};

export const temporalEnv = {
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'expected host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('reminders'),
};

export const logEnv = {
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
};

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const apiEnv = {
  API_PORT: port(4000),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  MIGRATE_ON_START: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  /** Requests per API key per minute on `/v1`; counted in each API process (not shared between copies). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: 'expected a whole number' }).int().min(1).default(600),
  /**
   * `/healthz` reports the worker down when no poll of the reminders task queue reached Temporal for
   * this long. An idle worker long-polls for up to a minute, so less than about 70 s would flap.
   */
  HEALTH_WORKER_SEEN_WITHIN_SECONDS: z.coerce
    .number({ error: 'expected a whole number of seconds' })
    .int()
    .min(5)
    .default(90),
};

export const portalEnv = {
  PORTAL_PORT: port(3000),
  PORTAL_BASE_URL: z.url({ error: 'expected an absolute http(s) URL' }).default('http://localhost:3000'),
  /** Where the portal's local test checkout delivers its signed webhook (local mode only). */
  API_BASE_URL: z.url({ error: 'expected an absolute http(s) URL' }).default('http://127.0.0.1:4000'),
  /** Signs debtor session cookies; the local default is public, so production must set its own. */
  PORTAL_SESSION_SECRET: z
    .string()
    .min(32, 'expected at least 32 characters')
    .default('settle-local-portal-session-secret-not-for-production'),
};

export const workerEnv = {
  WORKER_WORKFLOW_BUNDLE: z
    .string()
    .min(1)
    .optional()
    .describe('path to a prebuilt workflow bundle; production workers must set it'),
  /** How often the worker's schedule starts the workflow of every open invoice that has none. */
  INVOICE_WORKFLOW_SWEEP_MINUTES: z.coerce
    .number({ error: 'expected a whole number of minutes' })
    .int()
    .min(1)
    .max(1440)
    .default(5),
  /**
   * Workflows kept in the worker's memory between their tasks; an evicted one is replayed from its
   * history when its next timer or signal comes. One costs about 0.4 MB of the workflow thread's heap
   * (bash infra/settle.sh bench capacity), so the default keeps the cache near 100 MB on any heap.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'expected a whole number of workflows' })
    .int()
    .min(0)
    .max(100_000)
    .default(250),
  /** Workflow tasks run at once (at most the cache size when the cache is on). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce
    .number({ error: 'expected a whole number of tasks' })
    .int()
    .min(2)
    .max(1_000)
    .default(40),
  /** Activities run at once; each holds a database connection while it runs, so keep it near the pool. */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
    .number({ error: 'expected a whole number of activities' })
    .int()
    .min(1)
    .max(1_000)
    .default(20),
};

/** A configuration value is missing or malformed; `message` names every bad variable on one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses `env` against the given fragments. Throws {@link ConfigError} naming each bad variable and
 * what it expects, e.g. `invalid configuration: API_PORT: expected a number (got "abc")`.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<S>> {
  // Empty strings count as unset so `FOO= cmd` falls back to the default instead of failing oddly.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = z.object(shape).safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const got = cleaned[name];
    return `${name}: ${issue.message}${got === undefined ? ' (not set)' : ` (got ${JSON.stringify(redact(name, got))})`}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

const SECRET_NAME = /(KEY|SECRET|TOKEN|PASSWORD|DATABASE_URL)/;

/** Secrets never reach logs, not even in a configuration error. */
function redact(name: string, value: string): string {
  return SECRET_NAME.test(name) ? '<redacted>' : value;
}

/**
 * Some secrets have public defaults so a fresh checkout runs with nothing set. Where the deployment
 * is real (`isDeployed`), a secret still at its public default would let anyone forge what it signs
 * (a paid-invoice webhook, a debtor session): refuse to start, naming each one.
 */
export function refusePublicDefaultSecrets<S extends z.ZodRawShape>(
  shape: S,
  config: z.infer<z.ZodObject<S>>,
  names: (keyof S & string)[],
): void {
  const values = config as Record<string, unknown>;
  const public_ = names.filter((name) => {
    const fallback = (shape[name] as z.ZodType | undefined)?.safeParse(undefined);
    return fallback?.success === true && fallback.data !== undefined && fallback.data === values[name];
  });
  if (public_.length > 0) {
    throw new ConfigError(
      `invalid configuration: ${public_.map((name) => `${name}: still the public local default; set a secret of your own`).join('; ')}`,
    );
  }
}

/** Parses configuration at process start; on failure prints the one-line reason and exits. */
export function loadConfigOrExit<S extends z.ZodRawShape>(
  shape: S,
  options: {
    deployedSecrets?: { when: (config: z.infer<z.ZodObject<S>>) => boolean; names: (keyof S & string)[] };
  } = {},
): z.infer<z.ZodObject<S>> {
  try {
    const config = loadConfig(shape);
    if (options.deployedSecrets?.when(config))
      refusePublicDefaultSecrets(shape, config, options.deployedSecrets.names);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/**
 * How long a provider call (Resend, Twilio) may run before it is aborted. It must stay well below
 * the delivery activity's one-minute timeout, so Temporal never retries an attempt whose request is
 * still open.
 */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 20_000;

/** Providers: each is off (local outbox / test checkout) until its keys are set. */
export const messagingEnv = {
  PROVIDER_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a whole number of milliseconds' })
    .int()
    .min(100)
    .max(45_000, 'must stay below the delivery activity timeout of 60 s (at most 45000)')
    .default(DEFAULT_PROVIDER_TIMEOUT_MS),
  RESEND_API_KEY: z.string().startsWith('re_', 'expected a Resend key starting with re_').optional(),
  RESEND_BASE_URL: z.url({ error: 'expected an absolute URL' }).optional(),
  TWILIO_ACCOUNT_SID: z
    .string()
    .startsWith('AC', 'expected a Twilio account SID starting with AC')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM: z.string().min(1).optional(),
  TWILIO_BASE_URL: z.url({ error: 'expected an absolute URL' }).optional(),
};

/**
 * Payment providers. Without keys, card and direct-debit payments go through the local test checkout,
 * which delivers webhooks signed with the local secrets below, so the payment path is the same code.
 */
export const paymentsEnv = {
  STRIPE_SECRET_KEY: z
    .string()
    .startsWith('sk_', 'expected a Stripe secret key starting with sk_')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .startsWith('whsec_', 'expected a Stripe webhook secret starting with whsec_')
    .default('whsec_settle_local_only_not_secret'),
  /** Stripe API host override, e.g. stripe-mock in tests (`http://127.0.0.1:12111`). */
  STRIPE_API_BASE_URL: z.url({ error: 'expected an absolute URL' }).optional(),
  GOCARDLESS_ACCESS_TOKEN: z.string().min(1).optional(),
  GOCARDLESS_ENVIRONMENT: z.enum(['sandbox', 'live']).default('sandbox'),
  GOCARDLESS_WEBHOOK_SECRET: z.string().min(1).default('gocardless_settle_local_only_not_secret'),
  /** A stored provider event still not applied this many minutes after it arrived is listed for finance. */
  PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES: z.coerce
    .number({ error: 'expected a whole number of minutes' })
    .int()
    .min(1)
    .default(30),
};
