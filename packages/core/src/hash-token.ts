import { createHash } from 'node:crypto';

/**
 * SHA-256 of a high-entropy token (a portal link, an API key, a staff session): enough for lookup,
 * and a stolen database yields no usable token.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
