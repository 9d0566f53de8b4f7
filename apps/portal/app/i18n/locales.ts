/** The portal's languages. Anything else falls back to English. */
export const SUPPORTED_LOCALES = ['en', 'pl', 'de', 'fr'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const LOCALE_NAMES: Record<SupportedLocale, string> = {
  en: 'English',
  pl: 'Polski',
  de: 'Deutsch',
  fr: 'Français',
};

/** `de`, `de-AT` or `DE` → `de`; unsupported → null. */
export function supportedLocale(value: string): SupportedLocale | null {
  const language = value.trim().slice(0, 2).toLowerCase();
  return (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as SupportedLocale) : null;
}

/** The first supported language of a locale or an Accept-Language header, else English. */
export function resolveLocale(value: string | null | undefined): SupportedLocale {
  if (!value) return 'en';
  for (const part of value.split(',')) {
    const locale = supportedLocale(part.split(';')[0] ?? '');
    if (locale) return locale;
  }
  return 'en';
}
