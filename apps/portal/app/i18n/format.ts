import { formatMoney } from '@settle/domain';
import type { SupportedLocale } from './locales';

/** Intl formatting for the page language; calendar dates are shown as they are, never shifted. */
export function formatters(locale: SupportedLocale, timeZone?: string) {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  });
  return {
    money: (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, locale),
    /** `YYYY-MM-DD` → `23 Nov 2026` / `23.11.2026`. */
    date: (date: string) => dateFormat.format(new Date(`${date}T00:00:00Z`)),
    /** An instant (serialised as an ISO string by the loader). */
    dateTime: (instant: string | Date) => dateTimeFormat.format(new Date(instant)),
    number: (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value),
  };
}
