import { Link, useLocation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { LOCALE_NAMES, SUPPORTED_LOCALES, type SupportedLocale } from '../../i18n/locales';
import { type Translate, translator } from '../../i18n/messages';

/** The frame of every debtor page: skip link, supplier name, sections, language switch, content. */
export function PortalPage({
  locale,
  supplier,
  title,
  children,
  nav = true,
}: {
  locale: SupportedLocale;
  supplier?: string;
  title: string;
  children: ReactNode;
  nav?: boolean;
}) {
  const t = translator(locale);
  const location = useLocation();
  return (
    <div className="portal">
      <a className="skip-link" href="#content">
        {t('skipToContent')}
      </a>
      <header className="portal-header">
        <div className="portal-brand">
          {supplier ? <strong>{supplier}</strong> : null}
          <span>{t('portalName')}</span>
        </div>
        <LanguageSwitch locale={locale} t={t} path={location.pathname} />
      </header>
      {nav ? (
        <nav aria-label={t('mainNav')} className="portal-nav">
          <Link to="/p">{t('navStatement')}</Link>
          <Link to="/p/pay">{t('navPay')}</Link>
          <Link to="/p/dispute">{t('navDispute')}</Link>
          <Link to="/p/promise">{t('navPromise')}</Link>
        </nav>
      ) : null}
      <main id="content" tabIndex={-1} className="portal-main">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

function LanguageSwitch({ locale, t, path }: { locale: SupportedLocale; t: Translate; path: string }) {
  return (
    <nav aria-label={t('language')} className="portal-lang">
      <ul>
        {SUPPORTED_LOCALES.map((code) => (
          <li key={code}>
            {/* A full page load: the server remembers the choice in a cookie and redirects back. */}
            <a
              href={`${path}?lang=${code}`}
              lang={code}
              hrefLang={code}
              aria-current={code === locale ? 'true' : undefined}
            >
              {LOCALE_NAMES[code]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A form's failure: a summary that screen readers announce, with each named field's problem. */
export function FormErrors({
  failure,
  t,
}: {
  failure: { code: string; message: string; fields: { field: string; message: string }[] } | undefined;
  t: Translate;
}) {
  if (!failure) return null;
  // Field problems come from the application in English; the summary line is always translated.
  const summary =
    failure.code === 'RATE_LIMITED'
      ? t('tooMany')
      : failure.fields.length > 0
        ? t('fixErrors')
        : failure.message;
  return (
    <div role="alert" className="portal-alert portal-alert-error">
      <p>{summary}</p>
      {failure.fields.length > 0 ? (
        <ul>
          {failure.fields.map((f) => (
            <li key={`${f.field}:${f.message}`}>
              {f.field}: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The CSRF field every debtor form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}
