import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createCookie, redirect } from '@remix-run/node';
import { findDebtorAccess } from '@settle/core';
import { db } from '../db.server';
import { env } from '../env.server';
import { resolveLocale, type SupportedLocale, supportedLocale } from '../i18n/locales';

/** A debtor session lasts at most this long; the link it came from can be opened again for a new one. */
const SESSION_HOURS = 12;
const isHttps = new URL(env.PORTAL_BASE_URL).protocol === 'https:';

/**
 * The debtor session: a signed cookie naming the portal link that opened it (re-checked on every
 * request, so revoking the link ends the session), the customer, and the session's CSRF token.
 * Path `/`: Remix single fetch loads data from `/p.data`, which a `/p` path would not cover.
 */
const debtorCookie = createCookie('settle_debtor', {
  httpOnly: true,
  sameSite: 'lax',
  secure: isHttps,
  path: '/',
  maxAge: SESSION_HOURS * 3600,
  secrets: [env.PORTAL_SESSION_SECRET],
});

/** The language the debtor picked (`?lang=de`), remembered for a year; not a secret. */
const langCookie = createCookie('settle_lang', {
  httpOnly: true,
  sameSite: 'lax',
  secure: isHttps,
  path: '/',
  maxAge: 365 * 86_400,
});

interface SessionValue {
  v: 1;
  linkId: string;
  organizationId: string;
  customerId: string;
  csrf: string;
  /** Issued at, epoch milliseconds. */
  iat: number;
}

export interface Debtor {
  organizationId: string;
  customerId: string;
  /** The page language: the debtor's choice, else the customer's locale, else English. */
  locale: SupportedLocale;
  /** Put it in every form as `csrf`; {@link requireDebtorAction} checks it. */
  csrfToken: string;
}

function isSessionValue(value: unknown): value is SessionValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.v === 1 &&
    typeof v.linkId === 'string' &&
    typeof v.organizationId === 'string' &&
    typeof v.customerId === 'string' &&
    typeof v.csrf === 'string' &&
    typeof v.iat === 'number'
  );
}

/** The Set-Cookie header that opens a session for a customer through one of its links. */
export async function createDebtorSessionCookie(options: {
  linkId: string;
  organizationId: string;
  customerId: string;
  now: Date;
}): Promise<string> {
  const value: SessionValue = {
    v: 1,
    linkId: options.linkId,
    organizationId: options.organizationId,
    customerId: options.customerId,
    csrf: randomBytes(32).toString('base64url'),
    iat: options.now.getTime(),
  };
  return debtorCookie.serialize(value);
}

export async function clearDebtorSessionCookie(): Promise<string> {
  return debtorCookie.serialize('', { maxAge: 0 });
}

/** The debtor's chosen language from the cookie, if any. */
export async function chosenLocale(request: Request): Promise<SupportedLocale | null> {
  const value = await langCookie.parse(request.headers.get('Cookie'));
  return typeof value === 'string' ? supportedLocale(value) : null;
}

/**
 * `?lang=xx` on any portal page: remember the choice and reload the page without the parameter.
 * Returns nothing when the request does not switch language.
 */
export async function switchLanguage(request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  const lang = url.searchParams.get('lang');
  if (lang === null) return null;
  url.searchParams.delete('lang');
  const headers = new Headers();
  const locale = supportedLocale(lang);
  if (locale) headers.append('Set-Cookie', await langCookie.serialize(locale));
  // Keep the redirect on this host: only the path and query of the request are used.
  return redirect(`${url.pathname}${url.search}`, { headers });
}

/** The page language for a request without a session (link pages, errors). */
export async function requestLocale(request: Request, fallback?: string): Promise<SupportedLocale> {
  return resolveLocale((await chosenLocale(request)) ?? fallback ?? request.headers.get('Accept-Language'));
}

/**
 * The debtor behind this request. Without a valid session (none, tampered, too old, or its link was
 * revoked or has expired) it throws a redirect to the page that explains how to get back in.
 */
export async function requireDebtor(request: Request): Promise<Debtor> {
  const switched = await switchLanguage(request);
  if (switched) throw switched;
  const value: unknown = await debtorCookie.parse(request.headers.get('Cookie'));
  const now = new Date();
  if (
    !isSessionValue(value) ||
    now.getTime() - value.iat > SESSION_HOURS * 3_600_000 ||
    value.iat > now.getTime()
  ) {
    throw redirect('/p/signed-out');
  }
  const access = await findDebtorAccess(db, {
    organizationId: value.organizationId,
    customerId: value.customerId,
    linkId: value.linkId,
    now,
  });
  if (!access)
    throw redirect('/p/signed-out', { headers: { 'Set-Cookie': await clearDebtorSessionCookie() } });
  const locale = resolveLocale((await chosenLocale(request)) ?? access.customerLocale);
  return {
    organizationId: access.organizationId,
    customerId: access.customerId,
    locale,
    csrfToken: value.csrf,
  };
}

/** True when the submitted token is this session's CSRF token (constant-time comparison). */
export function isValidCsrf(debtor: Debtor, submitted: FormDataEntryValue | null): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(debtor.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * For actions: the debtor, once the form's `csrf` field matches the session. A missing or wrong token
 * throws 403 before anything is read from the form or written.
 */
export async function requireDebtorAction(request: Request, form: FormData): Promise<Debtor> {
  const debtor = await requireDebtor(request);
  if (!isValidCsrf(debtor, form.get('csrf'))) {
    throw new Response('Forbidden: the form is out of date. Reload the page and try again.', { status: 403 });
  }
  return debtor;
}
