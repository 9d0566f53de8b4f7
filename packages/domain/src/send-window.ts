import { addDays, isBusinessDay, localDateOf, localDateTimeToInstant, nextBusinessDay } from './calendar';
import type { ReminderPolicy } from './policy';

/**
 * Sends that fall due at the opening of a send window are spread over its first minutes, so a ledger
 * of many invoices does not fire every timer (and every provider call) in the same second.
 */
export const SEND_SPREAD_MINUTES = 30;

/** FNV-1a: a small, stable hash; the same key always lands on the same minute. */
function hash(key: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    value ^= key.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * The deterministic offset, in milliseconds from the window's start, at which `key`'s sends go out:
 * a whole number of minutes below `SEND_SPREAD_MINUTES` (and below the window's own length).
 */
export function sendJitterMs(key: string, sendWindow: ReminderPolicy['sendWindow']): number {
  const windowMinutes = minutesOf(sendWindow.end) - minutesOf(sendWindow.start);
  const spread = Math.max(1, Math.min(SEND_SPREAD_MINUTES, windowMinutes));
  return (hash(key) % spread) * 60_000;
}

export interface SendWindowInput {
  /** The customer's IANA time zone. */
  timeZone: string;
  /** The customer's ISO country (or `CC-SS`), for weekends and public holidays. */
  country: string;
  sendWindow: ReminderPolicy['sendWindow'];
  /** False: every day is a sending day (the policy's `businessDaysOnly`). */
  businessDaysOnly?: boolean;
  /** Usually the invoice id: decides the minute within the window's first minutes. */
  jitterKey: string;
}

/** The instant the window opens on `localDate` for this key (its start plus the key's jitter). */
export function windowOpening(localDate: string, input: SendWindowInput): number {
  return (
    localDateTimeToInstant(localDate, input.sendWindow.start, input.timeZone) +
    sendJitterMs(input.jitterKey, input.sendWindow)
  );
}

/**
 * The earliest instant at or after `at` when a message may go out: `at` itself while the customer's
 * send window is open on a sending day, else the next opening of the window (with the key's spread).
 * Every message that is late (a caught-up step, a notice, a thank-you) is timed by this, so none goes
 * out at night or on a holiday in the customer's calendar.
 */
export function nextSendTime(at: number, input: SendWindowInput): number {
  const sendingDay = (date: string) => input.businessDaysOnly === false || isBusinessDay(date, input.country);
  const today = localDateOf(at, input.timeZone);
  if (sendingDay(today)) {
    const starts = localDateTimeToInstant(today, input.sendWindow.start, input.timeZone);
    const closes = localDateTimeToInstant(today, input.sendWindow.end, input.timeZone);
    if (at < starts) return windowOpening(today, input);
    // Already late and the window is open: no reason to wait for this key's minute.
    if (at < closes) return at;
  }
  let day = addDays(today, 1);
  if (input.businessDaysOnly !== false) day = nextBusinessDay(day, input.country);
  return windowOpening(day, input);
}
