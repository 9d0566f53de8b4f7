import { createHmac, timingSafeEqual } from 'node:crypto';
import { env } from '../env.server';

/**
 * The fresh-link form on an expired link's page has no session to tie a CSRF token to, so its token
 * is an HMAC of the link's token under the portal secret: only a page we served carries it.
 */
export function linkRequestCsrf(token: string): string {
  return createHmac('sha256', env.PORTAL_SESSION_SECRET).update(`link-request:${token}`).digest('base64url');
}

export function isValidLinkRequestCsrf(token: string, submitted: FormDataEntryValue | null): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(linkRequestCsrf(token));
  return a.length === b.length && timingSafeEqual(a, b);
}
