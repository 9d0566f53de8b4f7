import { describe, expect, it } from 'vitest';
import { nextSendTime, SEND_SPREAD_MINUTES, sendJitterMs, windowOpening } from './send-window';

const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const NINE_TO_FIVE = { start: '09:00', end: '17:00' };
// 'invoice-a' hashes to minute 12 of a 30-minute spread: every Warsaw send below is at 09:12 local.
const warsaw = { timeZone: 'Europe/Warsaw', country: 'PL', sendWindow: NINE_TO_FIVE, jitterKey: 'invoice-a' };
const next = (at: string) => iso(nextSendTime(utc(at), warsaw));

describe('sendJitterMs', () => {
  const keys = Array.from({ length: 200 }, (_, n) => `invoice-${n}`);

  it('gives the same key the same whole minute on every call', () => {
    expect(sendJitterMs('invoice-a', NINE_TO_FIVE)).toBe(12 * 60_000);
    expect(sendJitterMs('invoice-a', NINE_TO_FIVE)).toBe(sendJitterMs('invoice-a', NINE_TO_FIVE));
    expect(sendJitterMs('', NINE_TO_FIVE)).toBe(60_000);
  });

  it(`stays below ${SEND_SPREAD_MINUTES} minutes and spreads keys over them`, () => {
    const minutes = keys.map((key) => sendJitterMs(key, NINE_TO_FIVE) / 60_000);
    for (const minute of minutes) {
      expect(Number.isInteger(minute)).toBe(true);
      expect(minute).toBeGreaterThanOrEqual(0);
      expect(minute).toBeLessThan(SEND_SPREAD_MINUTES);
    }
    expect(new Set(minutes).size).toBeGreaterThan(20);
  });

  it('stays inside a window shorter than the spread', () => {
    const tenMinutes = { start: '09:00', end: '09:10' };
    for (const key of keys) expect(sendJitterMs(key, tenMinutes)).toBeLessThan(10 * 60_000);
    expect(sendJitterMs('invoice-a', { start: '09:00', end: '09:01' })).toBe(0);
  });
});

describe('windowOpening', () => {
  it("opens at the window start plus the key's minute, in the customer's offset of that day", () => {
    expect(iso(windowOpening('2026-10-23', warsaw))).toBe('2026-10-23T07:12:00.000Z'); // CEST
    expect(iso(windowOpening('2026-10-26', warsaw))).toBe('2026-10-26T08:12:00.000Z'); // CET
  });

  it('reads the offset after the change on the day summer time ends in Warsaw (25 October 2026)', () => {
    expect(iso(windowOpening('2026-10-24', warsaw))).toBe('2026-10-24T07:12:00.000Z');
    expect(iso(windowOpening('2026-10-25', warsaw))).toBe('2026-10-25T08:12:00.000Z');
  });
});

describe('nextSendTime', () => {
  it('keeps a time inside the open window of a business day', () => {
    expect(next('2026-11-12T10:30:00Z')).toBe('2026-11-12T10:30:00.000Z'); // Thu 11:30 CET
  });

  it("waits for the key's opening before the window, and sends a late message at once once it is open", () => {
    expect(next('2026-11-12T05:00:00Z')).toBe('2026-11-12T08:12:00.000Z'); // 06:00 CET
    // 09:05 CET, before this key's minute: already late, so no reason to wait for it.
    expect(next('2026-11-12T08:05:00Z')).toBe('2026-11-12T08:05:00.000Z');
  });

  it('sends on any day when the policy is not limited to business days', () => {
    const anyDay = (iso: string) =>
      new Date(
        nextSendTime(Date.parse(iso), {
          timeZone: 'Europe/Warsaw',
          country: 'PL',
          sendWindow: { start: '09:00', end: '17:00' },
          businessDaysOnly: false,
          jitterKey: 'invoice-a',
        }),
      ).toISOString();
    expect(anyDay('2026-11-14T10:00:00Z')).toBe('2026-11-14T10:00:00.000Z'); // Saturday 11:00
    expect(anyDay('2026-11-11T10:00:00Z')).toBe('2026-11-11T10:00:00.000Z'); // Independence Day
    expect(anyDay('2026-11-14T17:00:00Z')).toMatch(/^2026-11-15T08:/); // Saturday evening → Sunday
  });

  it('moves a time at or after the window end to the next business day', () => {
    expect(next('2026-11-12T16:00:00Z')).toBe('2026-11-13T08:12:00.000Z'); // Thu 17:00 CET → Fri
    expect(next('2026-11-12T22:30:00Z')).toBe('2026-11-13T08:12:00.000Z'); // Thu 23:30 CET
  });

  it('moves a weekend to Monday', () => {
    expect(next('2026-11-14T10:00:00Z')).toBe('2026-11-16T08:12:00.000Z'); // Saturday
    expect(next('2026-11-13T17:00:00Z')).toBe('2026-11-16T08:12:00.000Z'); // Friday evening
  });

  it('moves past a Polish public holiday: Independence Day, Wednesday 11 November 2026', () => {
    expect(next('2026-11-11T10:00:00Z')).toBe('2026-11-12T08:12:00.000Z');
    expect(next('2026-11-10T17:00:00Z')).toBe('2026-11-12T08:12:00.000Z'); // Tue 18:00 CET
  });

  it('opens at 09:12 CET on the Monday after the weekend summer time ends', () => {
    // Friday 23 Oct 18:00 CEST; the clocks go back on Sunday 25 Oct.
    expect(next('2026-10-23T16:00:00Z')).toBe('2026-10-26T08:12:00.000Z');
  });
});
