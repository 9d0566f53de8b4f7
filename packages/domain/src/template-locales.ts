import type { Channel } from './policy';

// The languages and the shape of built-in templates live apart from the texts and the renderer, so
// that the template lists (default, notices, SMS scenario) and templates.ts all import this module
// and none of them imports another: they used to import each other for these two types.

/** The languages every built-in template exists in; a customer's locale resolves to one of them. */
export const SUPPORTED_LOCALES = ['pl', 'de', 'en', 'fr'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** A built-in template; organizations start from these and may edit their own copies. */
export interface DefaultTemplate {
  key: string;
  channel: Channel;
  locale: SupportedLocale;
  subject: string;
  body: string;
}
