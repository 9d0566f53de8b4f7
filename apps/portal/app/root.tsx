import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import styles from './styles.css?url';

export const links = () => [{ rel: 'stylesheet', href: styles }];

/** The page language: the deepest route whose data names a `locale` (debtor pages do), else English. */
function usePageLanguage(): string {
  const matches = useMatches();
  for (const match of [...matches].reverse()) {
    const data = match.data as { locale?: unknown } | undefined;
    if (data && typeof data.locale === 'string') return data.locale;
  }
  return 'en';
}

export function Layout({ children }: { children: ReactNode }) {
  const lang = usePageLanguage();
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** One plain page for every error: says what happened without internals (they go to the log). */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text =
    status === 404
      ? 'We could not find this page.'
      : status === 403
        ? 'This form has expired or is not allowed. Please reload the page and try again.'
        : status === 429
          ? 'Too many requests. Please try again later.'
          : status === 413
            ? 'The files are too large.'
            : 'Something went wrong. Please try again later.';
  return (
    <main>
      <section className="card" aria-labelledby="error-title">
        <h1 id="error-title">{status === 404 ? 'Page not found' : 'Something went wrong'}</h1>
        <p>{text}</p>
        <p>
          <a href="/p">Back</a>
        </p>
      </section>
    </main>
  );
}
