import type { HeadersFunction } from '@remix-run/node';

/**
 * Headers of every debtor page: statements are private (no shared or back-button cache on a shared
 * computer), and no other site may frame the portal's forms.
 */
export const debtorHeaders: HeadersFunction = () => ({
  'Cache-Control': 'private, no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
});
