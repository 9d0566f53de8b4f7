import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line, whatever object they appear in. */
const REDACT = [
  '*.password',
  '*.password_hash',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.key_hash',
  '*.token_hash',
  '*.secret',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.DATABASE_URL',
];

/** One JSON line per event on stdout; `service` names the process. */
export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({ name: service, level, redact: { paths: REDACT, censor: '[redacted]' } });
}
