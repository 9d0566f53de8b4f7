import { isRouteErrorResponse, useRouteError } from '@remix-run/react';
import { resolveLocale } from '../../i18n/locales';
import { translator } from '../../i18n/messages';
import { PortalPage } from './portal-page';

/** The error page of debtor routes, in the page's language when the error names it. */
export function DebtorErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const named = isRouteErrorResponse(error) ? (error.data as { locale?: unknown } | null)?.locale : undefined;
  const locale = resolveLocale(typeof named === 'string' ? named : null);
  const t = translator(locale);
  const text =
    status === 404
      ? t('notFound')
      : status === 403
        ? t('formExpired')
        : status === 429
          ? t('tooMany')
          : t('errorTitle');
  return (
    <PortalPage locale={locale} title={status === 404 ? t('notFound') : t('errorTitle')}>
      <section className="card">
        <p>{text}</p>
      </section>
    </PortalPage>
  );
}
