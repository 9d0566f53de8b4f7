import type { SupportedLocale } from './locales';

/** Minor units as an exact decimal string (`123456`, 2 digits → `1234.56`): no float rounding. */
function toDecimal(amountMinor: number, digits: number): string {
  const negative = amountMinor < 0;
  const text = Math.abs(amountMinor)
    .toString()
    .padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * Intl formatting for the page language. Runs in the browser too, so it stays free of server
 * packages. Calendar dates are shown as they are, never shifted by a time zone.
 */
export function formatters(locale: SupportedLocale, timeZone?: string) {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  });
  return {
    money: (amountMinor: number, currency: string) => {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(toDecimal(amountMinor, digits) as Intl.StringNumericLiteral);
    },
    /** `YYYY-MM-DD` → `23 Nov 2026` / `23.11.2026`. */
    date: (date: string) => dateFormat.format(new Date(`${date}T00:00:00Z`)),
    /** An instant (a Date, or its ISO string). */
    dateTime: (instant: string | Date) => dateTimeFormat.format(new Date(instant)),
    number: (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value),
  };
}
