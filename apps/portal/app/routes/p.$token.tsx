import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { openPortalLink, requestFreshPortalLink } from '@settle/core';
import { PortalPage } from '../components/portal/portal-page';
import { db } from '../db.server';
import { env } from '../env.server';
import type { SupportedLocale } from '../i18n/locales';
import { translator } from '../i18n/messages';
import { debtorHeaders } from '../lib/debtor-headers';
import { isValidLinkRequestCsrf, linkRequestCsrf } from '../lib/debtor-link.server';
import { createDebtorSessionCookie, requestLocale, switchLanguage } from '../lib/debtor-session.server';
import { temporal } from '../temporal.server';

export const headers = debtorHeaders;

export const meta: MetaFunction = () => [
  { title: 'Settle — invoice portal' },
  { name: 'robots', content: 'noindex' },
];

interface LinkPage {
  status: 'expired' | 'revoked' | 'unknown';
  locale: SupportedLocale;
  csrf: string;
}

/**
 * `GET /p/<token>`, the link from a reminder. A valid link opens a session for its customer and goes
 * to the statement; nothing is consumed (mail scanners open links too, and a link works until it
 * expires). An expired, revoked or unknown link shows how to get a fresh one.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const switched = await switchLanguage(request);
  if (switched) throw switched;
  const token = params.token ?? '';
  const now = new Date();
  const check = await openPortalLink(db, { token, now });
  if (check.status === 'valid') {
    const cookie = await createDebtorSessionCookie({ ...check, now });
    return redirect('/p', { headers: { 'Set-Cookie': cookie, 'Referrer-Policy': 'no-referrer' } });
  }
  const locale = await requestLocale(request);
  return data({ status: check.status, locale, csrf: linkRequestCsrf(token) } satisfies LinkPage, {
    status: check.status === 'unknown' ? 404 : 410,
    headers: { 'Referrer-Policy': 'no-referrer' },
  });
}

/** Asks for a fresh link by e-mail; the answer never says whether one was sent. */
export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const form = await request.formData();
  if (!isValidLinkRequestCsrf(token, form.get('csrf'))) {
    throw new Response('Forbidden: reload the page and try again.', { status: 403 });
  }
  await requestFreshPortalLink(
    { db, temporal, portalBaseUrl: env.PORTAL_BASE_URL, taskQueue: env.TEMPORAL_TASK_QUEUE },
    { token },
  );
  return { requested: true as const };
}

export default function PortalLink() {
  // `data()` answers are typed as a wrapper unless single-fetch types are declared app-wide.
  const { status, locale, csrf } = useLoaderData() as LinkPage;
  const result = useActionData<typeof action>();
  const t = translator(locale);
  const title =
    status === 'expired'
      ? t('linkExpiredTitle')
      : status === 'revoked'
        ? t('linkRevokedTitle')
        : t('linkUnknownTitle');
  return (
    <PortalPage locale={locale} title={title} nav={false}>
      <section className="card">
        {status === 'unknown' ? <p>{t('linkUnknownHelp')}</p> : <p>{t('linkHelp')}</p>}
        {result?.requested ? (
          <p role="status" className="portal-alert portal-alert-ok">
            {t('requestLinkSent')}
          </p>
        ) : status === 'unknown' ? null : (
          <Form method="post">
            <input type="hidden" name="csrf" value={csrf} />
            <button type="submit">{t('requestLink')}</button>
          </Form>
        )}
      </section>
    </PortalPage>
  );
}
