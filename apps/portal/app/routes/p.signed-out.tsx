import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { PortalPage } from '../components/portal/portal-page';
import { translator } from '../i18n/messages';
import { debtorHeaders } from '../lib/debtor-headers';
import { requestLocale, switchLanguage } from '../lib/debtor-session.server';

export const headers = debtorHeaders;

export const meta: MetaFunction = () => [
  { title: 'Settle — invoice portal' },
  { name: 'robots', content: 'noindex' },
];

/** Where a request without a valid debtor session lands: how to get back in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const switched = await switchLanguage(request);
  if (switched) throw switched;
  return { locale: await requestLocale(request) };
}

export default function SignedOut() {
  const { locale } = useLoaderData<typeof loader>();
  const t = translator(locale);
  return (
    <PortalPage locale={locale} title={t('signedOutTitle')} nav={false}>
      <section className="card">
        <p>{t('signedOutBody')}</p>
      </section>
    </PortalPage>
  );
}
