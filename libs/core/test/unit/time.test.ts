import {
  addDays,
  daysBetween,
  fromMinutes,
  isRealDate,
  localDateOf,
  nextDay,
  startOfLocalDay,
  todayIn,
  toMinutes,
  weekdayOf,
} from '../../src/time';

/** The one module that does date and time arithmetic, against hand-computed cases. */
describe('garage-local dates and times', () => {
  it('when dates cross month ends and leap days, then they add up like the calendar', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across the European DST change
    expect(daysBetween('2026-03-30', '2026-03-28')).toBe(-2);
    expect(weekdayOf('2024-02-29')).toBe('thu');
    expect(weekdayOf('2026-11-30')).toBe('mon');
  });

  it('when a date is checked, then only real calendar days in YYYY-MM-DD pass', () => {
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2028-02-29')).toBe(true);
    expect(isRealDate('2026-13-01')).toBe(false);
    expect(isRealDate('9999-99-99')).toBe(false);
    expect(isRealDate('2026-1-01')).toBe(false);
    expect(isRealDate('')).toBe(false);
  });

  it('when it is 10:00 UTC on 1 January, then today is the 2nd in Kiritimati (UTC+14) and 31 December in Pago Pago (UTC−11)', () => {
    const instant = new Date('2026-01-01T10:00:00Z');
    expect(todayIn('Pacific/Kiritimati', instant)).toBe('2026-01-02');
    expect(todayIn('Pacific/Pago_Pago', instant)).toBe('2025-12-31');
    expect(localDateOf(instant, 'Not/AZone')).toBe('2026-01-01');
    expect(localDateOf(new Date('2026-06-30T23:30:00Z'), 'Europe/London')).toBe('2026-07-01'); // BST
  });

  it("when a garage's day starts, then the instant follows its time zone, also on clock-change days", () => {
    expect(startOfLocalDay('2026-11-25', 'Europe/London').toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(startOfLocalDay('2026-07-01', 'Europe/London').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(startOfLocalDay('2026-11-25', 'Asia/Dubai').toISOString()).toBe('2026-11-24T20:00:00.000Z');
    expect(startOfLocalDay('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-11-25', 'Not/AZone').toISOString()).toBe('2026-11-25T00:00:00.000Z');
    // Santiago springs forward at midnight (00:00 −04 → 01:00 −03): the day starts at 01:00 local
    expect(startOfLocalDay('2024-09-08', 'America/Santiago').toISOString()).toBe('2024-09-08T04:00:00.000Z');
    // and falls back at midnight (24:00 −03 → 23:00 −04): the day starts at its one 00:00, −04
    expect(startOfLocalDay('2025-04-06', 'America/Santiago').toISOString()).toBe('2025-04-06T04:00:00.000Z');
    // Havana springs forward at 00:00 −05 → 01:00 −04
    expect(startOfLocalDay('2025-03-09', 'America/Havana').toISOString()).toBe('2025-03-09T05:00:00.000Z');
  });

  it('when times of day are converted to minutes and back, then the wall clock is kept', () => {
    expect(toMinutes('00:00')).toBe(0);
    expect(toMinutes('16:45')).toBe(1005);
    expect(fromMinutes(1005)).toBe('16:45');
    expect(fromMinutes(8 * 60 + 5)).toBe('08:05');
  });
});
