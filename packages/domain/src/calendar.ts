import Holidays from 'date-holidays';
import { DomainError } from './errors';

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether `value` is a real calendar day written `YYYY-MM-DD`. */
export function isValidDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  return fromUtcMs(ms) === value;
}

/** Whether `value` is a wall-clock time written `HH:MM` (00:00–23:59). */
export function isValidTime(value: unknown): value is string {
  return typeof value === 'string' && TIME_PATTERN.test(value);
}

function toUtcMs(date: string): number {
  if (!isValidDate(date)) {
    throw new DomainError('invalid_date', `Expected a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar day `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new DomainError('invalid_input', `Days must be an integer, got ${days}`);
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Day of the week of a calendar day, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/**
 * Whether `timeZone` is an IANA zone name Intl knows. Fixed offsets such as `+01:00` are refused: a
 * customer stored with one would get every summer reminder an hour off.
 */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '' || /^[+-]/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    if (!isValidTimeZone(timeZone)) {
      throw new DomainError('invalid_time_zone', `Unknown IANA time zone ${JSON.stringify(timeZone)}`);
    }
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'iso8601',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock at `instantMs` in `timeZone`, expressed as if that wall clock were UTC. */
function wallClockAsUtc(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return Date.UTC(
    fields.year ?? 0,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
}

/** UTC offset of `timeZone` at `instantMs`, in milliseconds (Warsaw in summer: +7 200 000). */
function offsetAt(instantMs: number, timeZone: string): number {
  const wholeSecond = instantMs - (((instantMs % 1000) + 1000) % 1000);
  return wallClockAsUtc(wholeSecond, timeZone) - wholeSecond;
}

function assertInstant(instantMs: number): void {
  if (!Number.isFinite(instantMs)) throw new DomainError('invalid_input', `Not an instant: ${instantMs}`);
}

/** The calendar day it is in `timeZone` at `instantMs`. */
export function localDateOf(instantMs: number, timeZone: string): string {
  assertInstant(instantMs);
  return fromUtcMs(wallClockAsUtc(instantMs, timeZone));
}

/**
 * The instant when the wall clock in `timeZone` shows `time` on `date`. A time skipped by a
 * spring-forward change resolves to the first instant after the gap (the change itself); a time that
 * occurs twice in an autumn change resolves to the earlier one.
 */
export function localDateTimeToInstant(date: string, time: string, timeZone: string): number {
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new DomainError('invalid_time', `Expected a time HH:MM, got ${JSON.stringify(time)}`);
  const wall = toUtcMs(date) + Number(match[1]) * 3_600_000 + Number(match[2]) * 60_000;
  partsFormatter(timeZone);

  // Zones change offset at most once in any two days, so the offsets a day either side are the only
  // candidates for this wall time.
  const offsetBefore = offsetAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wall + DAY_MS, timeZone);
  const valid = [...new Set([offsetBefore, offsetAt(wall, timeZone), offsetAfter])]
    .map((offset) => wall - offset)
    .filter((instant) => wallClockAsUtc(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  const earliest = valid[0];
  if (earliest !== undefined) return earliest;

  // In a gap: the change happened between the wall time read with the new offset and with the old one.
  let low = wall - offsetAfter;
  let high = wall - offsetBefore;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(mid, timeZone) === offsetBefore) low = mid;
    else high = mid;
  }
  return high;
}

const holidayCalendars = new Map<string, Holidays>();
const holidayDays = new Map<string, ReadonlySet<string>>();

function holidayCalendar(country: string): Holidays {
  let calendar = holidayCalendars.get(country);
  if (!calendar) {
    // `DE-BY` style codes select a state's calendar (Bavaria adds Epiphany, Corpus Christi…).
    const [countryCode = '', state] = country.split('-');
    calendar = state ? new Holidays(countryCode, state) : new Holidays(countryCode);
    holidayCalendars.set(country, calendar);
  }
  return calendar;
}

function publicHolidays(country: string, year: number): ReadonlySet<string> {
  const key = `${country}|${year}`;
  let days = holidayDays.get(key);
  if (!days) {
    days = new Set(
      holidayCalendar(country)
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    holidayDays.set(key, days);
  }
  return days;
}

function normalizeCountry(country: string): string {
  return country.trim().toUpperCase();
}

/** Whether date-holidays has a calendar for an ISO 3166 country (or `CC-SS` subdivision) code. */
export function isSupportedCountry(country: string): boolean {
  const [countryCode = '', state] = normalizeCountry(country).split('-');
  const registry = new Holidays();
  if (!Object.hasOwn(registry.getCountries(), countryCode)) return false;
  return state === undefined || Object.hasOwn(registry.getStates(countryCode) ?? {}, state);
}

/** The public holidays (type `public` in date-holidays) of a country in a year, as `YYYY-MM-DD`. */
export function publicHolidaysOf(country: string, year: number): string[] {
  return [...publicHolidays(normalizeCountry(country), year)].sort();
}

/**
 * Whether `date` is a working day in `country`: not a Saturday or Sunday and not a public holiday.
 * A country date-holidays does not know has weekends only.
 */
export function isBusinessDay(date: string, country: string): boolean {
  const weekday = dayOfWeek(date);
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(normalizeCountry(country), Number(date.slice(0, 4))).has(date);
}

// No country has a run of non-working days this long; the bound only stops a runaway loop.
const MAX_SHIFT_DAYS = 31;

function shiftToBusinessDay(date: string, country: string, step: 1 | -1): string {
  let day = date;
  for (let i = 0; i <= MAX_SHIFT_DAYS; i++) {
    if (isBusinessDay(day, country)) return day;
    day = addDays(day, step);
  }
  throw new DomainError('invalid_input', `No business day within ${MAX_SHIFT_DAYS} days of ${date}`);
}

/** `date` itself when it is a business day in `country`, else the next one. */
export function nextBusinessDay(date: string, country: string): string {
  return shiftToBusinessDay(date, country, 1);
}

/** `date` itself when it is a business day in `country`, else the one before. */
export function previousBusinessDay(date: string, country: string): string {
  return shiftToBusinessDay(date, country, -1);
}
