import { describe, expect, it } from 'vitest';
import {
  apiEnv,
  ConfigError,
  databaseEnv,
  loadConfig,
  messagingEnv,
  paymentsEnv,
  portalEnv,
  refusePublicDefaultSecrets,
  temporalEnv,
} from './index';

const shape = { ...databaseEnv, ...temporalEnv, ...apiEnv, ...messagingEnv };

describe('loadConfig', () => {
  it('needs no variables: every value has a local default', () => {
    const config = loadConfig(shape, {});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://settle:settle@127.0.0.1:5432/settle',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_TASK_QUEUE: 'reminders',
      API_PORT: 4000,
      MIGRATE_ON_START: true,
      DATABASE_POOL_SIZE: 10,
    });
    expect(config.RESEND_API_KEY).toBeUndefined();
  });

  it('sizes the database pool from DATABASE_POOL_SIZE and refuses a pool of none', () => {
    expect(loadConfig(shape, { DATABASE_POOL_SIZE: '25' }).DATABASE_POOL_SIZE).toBe(25);
    expect(() => loadConfig(shape, { DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('names a malformed variable, what it expects and what it got, on one line', () => {
    expect(() => loadConfig(shape, { API_PORT: 'abc' })).toThrow(ConfigError);
    try {
      loadConfig(shape, { API_PORT: 'abc', TEMPORAL_ADDRESS: 'nowhere' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toMatch(/^invalid configuration: /);
      expect(message).toContain('API_PORT');
      expect(message).toContain('(got "abc")');
      expect(message).toContain('TEMPORAL_ADDRESS: expected host:port (got "nowhere")');
    }
  });

  it('never prints the value of a secret variable', () => {
    expect(() => loadConfig(shape, { RESEND_API_KEY: 'sk_wrong_secret' })).toThrow(
      /RESEND_API_KEY: expected a Resend key starting with re_ \(got "<redacted>"\)/,
    );
    expect(() => loadConfig(shape, { DATABASE_URL: 'mysql://u:hunter2@h/db' })).toThrow(/<redacted>/);
  });

  it('bounds provider calls by a timeout below the delivery activity timeout (60 s)', () => {
    expect(loadConfig(shape, {}).PROVIDER_TIMEOUT_MS).toBe(20_000);
    expect(loadConfig(shape, { PROVIDER_TIMEOUT_MS: '5000' }).PROVIDER_TIMEOUT_MS).toBe(5_000);
    expect(() => loadConfig(shape, { PROVIDER_TIMEOUT_MS: '60000' })).toThrow(
      /PROVIDER_TIMEOUT_MS: must stay below the delivery activity timeout/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(shape, { API_PORT: '' }).API_PORT).toBe(4000);
  });
});

describe('refusePublicDefaultSecrets', () => {
  const payments = { ...paymentsEnv, ...portalEnv };

  it('names every secret still at its public local default', () => {
    const config = loadConfig(payments, {});
    expect(() =>
      refusePublicDefaultSecrets(payments, config, ['STRIPE_WEBHOOK_SECRET', 'PORTAL_SESSION_SECRET']),
    ).toThrow(
      'invalid configuration: STRIPE_WEBHOOK_SECRET: still the public local default; set a secret of your own; PORTAL_SESSION_SECRET: still the public local default; set a secret of your own',
    );
  });

  it('accepts secrets of your own and never prints them', () => {
    const config = loadConfig(payments, {
      STRIPE_WEBHOOK_SECRET: 'whsec_real_secret_value',
      PORTAL_SESSION_SECRET: 'a-session-secret-of-at-least-thirty-two-characters',
    });
    expect(() =>
      refusePublicDefaultSecrets(payments, config, ['STRIPE_WEBHOOK_SECRET', 'PORTAL_SESSION_SECRET']),
    ).not.toThrow();
    const partly = loadConfig(payments, { STRIPE_WEBHOOK_SECRET: 'whsec_real_secret_value' });
    try {
      refusePublicDefaultSecrets(payments, partly, ['STRIPE_WEBHOOK_SECRET', 'PORTAL_SESSION_SECRET']);
    } catch (error) {
      expect((error as Error).message).not.toContain('whsec_real_secret_value');
      expect((error as Error).message).toContain('PORTAL_SESSION_SECRET');
    }
  });
});
