import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  isBusinessDay,
  isSupportedCountry,
  isValidDate,
  isValidTimeZone,
  localDateOf,
  localDateTimeToInstant,
  nextBusinessDay,
  previousBusinessDay,
  publicHolidaysOf,
} from './calendar';
import { DomainError } from './errors';

const utc = (iso: string) => Date.parse(iso);

describe('calendar days', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2025-01-31', 1)).toBe('2025-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('counts whole days between dates, negative when going back', () => {
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2025-03-10', '2025-03-07')).toBe(-3);
    // A DST change in some zone is irrelevant: calendar days are zone-free.
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
  });

  it('rejects strings that are not real YYYY-MM-DD days', () => {
    expect(isValidDate('2025-02-29')).toBe(false);
    expect(isValidDate('2025-2-1')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(() => addDays('2025-13-01', 1)).toThrow(DomainError);
  });

  it('knows the day of the week', () => {
    expect(dayOfWeek('2025-03-30')).toBe(0);
    expect(dayOfWeek('2025-11-11')).toBe(2);
  });
});

describe('time zones', () => {
  it('accepts IANA names and refuses unknown zones and fixed offsets', () => {
    expect(isValidTimeZone('Europe/Warsaw')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('+01:00')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
  });

  it('gives the local calendar day of an instant', () => {
    const instant = utc('2025-06-30T23:30:00Z');
    expect(localDateOf(instant, 'Europe/Warsaw')).toBe('2025-07-01');
    expect(localDateOf(instant, 'America/New_York')).toBe('2025-06-30');
    expect(localDateOf(instant, 'Asia/Tokyo')).toBe('2025-07-01');
  });

  it('converts a local wall time to an instant with the offset in force that day', () => {
    expect(localDateTimeToInstant('2025-01-15', '09:00', 'Europe/Warsaw')).toBe(utc('2025-01-15T08:00:00Z'));
    expect(localDateTimeToInstant('2025-07-15', '09:00', 'Europe/Warsaw')).toBe(utc('2025-07-15T07:00:00Z'));
    expect(localDateTimeToInstant('2025-07-15', '09:00', 'America/New_York')).toBe(
      utc('2025-07-15T13:00:00Z'),
    );
    expect(localDateTimeToInstant('2025-07-15', '09:00', 'Asia/Tokyo')).toBe(utc('2025-07-15T00:00:00Z'));
  });

  it('moves a time skipped by spring-forward to the first valid instant (the change itself)', () => {
    // Warsaw jumps from 02:00 CET to 03:00 CEST on 30 March 2025.
    expect(localDateTimeToInstant('2025-03-30', '02:30', 'Europe/Warsaw')).toBe(utc('2025-03-30T01:00:00Z'));
    expect(localDateTimeToInstant('2025-03-30', '09:00', 'Europe/Warsaw')).toBe(utc('2025-03-30T07:00:00Z'));
    expect(localDateTimeToInstant('2025-03-09', '02:30', 'America/New_York')).toBe(
      utc('2025-03-09T07:00:00Z'),
    );
    // Lord Howe Island shifts by half an hour: 02:00 +10:30 becomes 02:30 +11:00.
    expect(localDateTimeToInstant('2025-10-05', '02:15', 'Australia/Lord_Howe')).toBe(
      utc('2025-10-04T15:30:00Z'),
    );
  });

  it('takes the earlier instant for a time that occurs twice when clocks go back', () => {
    expect(localDateTimeToInstant('2025-10-26', '02:30', 'Europe/Warsaw')).toBe(utc('2025-10-26T00:30:00Z'));
    expect(localDateTimeToInstant('2025-11-02', '01:30', 'America/New_York')).toBe(
      utc('2025-11-02T05:30:00Z'),
    );
  });

  it('round-trips every hour of a DST-change day back to the same local date', () => {
    for (let hour = 0; hour < 24; hour++) {
      const time = `${String(hour).padStart(2, '0')}:00`;
      for (const date of ['2025-03-30', '2025-10-26']) {
        expect(localDateOf(localDateTimeToInstant(date, time, 'Europe/Warsaw'), 'Europe/Warsaw')).toBe(date);
      }
    }
  });

  it('rejects malformed times and unknown zones', () => {
    expect(() => localDateTimeToInstant('2025-01-15', '9:00', 'Europe/Warsaw')).toThrow(
      expect.objectContaining({ code: 'invalid_time' }),
    );
    expect(() => localDateTimeToInstant('2025-01-15', '24:00', 'Europe/Warsaw')).toThrow(DomainError);
    expect(() => localDateOf(0, 'Nowhere/City')).toThrow(
      expect.objectContaining({ code: 'invalid_time_zone' }),
    );
  });
});

describe('business days', () => {
  it('treats Saturdays and Sundays as non-working days', () => {
    expect(isBusinessDay('2025-03-28', 'PL')).toBe(true);
    expect(isBusinessDay('2025-03-29', 'PL')).toBe(false);
    expect(isBusinessDay('2025-03-30', 'PL')).toBe(false);
    expect(nextBusinessDay('2025-03-29', 'PL')).toBe('2025-03-31');
    expect(previousBusinessDay('2025-03-30', 'PL')).toBe('2025-03-28');
  });

  it('returns the same day when it already is a business day', () => {
    expect(nextBusinessDay('2025-03-31', 'PL')).toBe('2025-03-31');
    expect(previousBusinessDay('2025-03-31', 'PL')).toBe('2025-03-31');
  });

  it('skips public holidays from date-holidays: PL 11 Nov, DE 3 Oct, FR 14 Jul, GB 25-26 Dec', () => {
    expect(isBusinessDay('2025-11-11', 'PL')).toBe(false);
    expect(nextBusinessDay('2025-11-11', 'PL')).toBe('2025-11-12');
    expect(nextBusinessDay('2025-10-03', 'DE')).toBe('2025-10-06');
    expect(nextBusinessDay('2025-07-14', 'FR')).toBe('2025-07-15');
    expect(nextBusinessDay('2025-12-25', 'GB')).toBe('2025-12-29');
    // Holidays are the country's own: 3 October is a normal Friday in Poland.
    expect(isBusinessDay('2025-10-03', 'PL')).toBe(true);
  });

  it('counts only public holidays, not observances, and accepts lower-case codes', () => {
    // Mother's Day (26 May) is an observance in Poland; Christmas Eve is public since 2025.
    expect(isBusinessDay('2025-05-26', 'pl')).toBe(true);
    expect(publicHolidaysOf('PL', 2025)).toContain('2025-12-24');
    expect(publicHolidaysOf('PL', 2025)).not.toContain('2025-05-26');
  });

  it('uses a subdivision calendar for CC-SS codes (Epiphany is a holiday in Bavaria only)', () => {
    expect(isBusinessDay('2025-01-06', 'DE')).toBe(true);
    expect(isBusinessDay('2025-01-06', 'DE-BY')).toBe(false);
  });

  it('falls back to weekends only for a country date-holidays does not know', () => {
    expect(isSupportedCountry('XX')).toBe(false);
    expect(isSupportedCountry('PL')).toBe(true);
    expect(isSupportedCountry('DE-BY')).toBe(true);
    expect(isBusinessDay('2025-12-25', 'XX')).toBe(true);
    expect(isBusinessDay('2025-12-27', 'XX')).toBe(false);
  });
});
