import fc from 'fast-check';

import { addDays, daysBetween, fromMinutes, isRealDate, localDateOf, nextDay, startOfLocalDay, TIME, toMinutes, weekdayOf } from '../../src/time';

/** Properties of the calendar helpers over generated dates, times and zones (hand-computed cases,
 * including clock changes, are in time.test.ts). */

const date = fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const days = fc.integer({ min: -20_000, max: 20_000 });
// zones with DST at midnight (Santiago, Havana, historic São Paulo), half-hour DST (Lord Howe),
// +13:45 (Chatham), a date-line jump (Apia, 2011-12-30 does not exist there) and plain ones
const zone = fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'America/Santiago', 'America/Havana', 'America/Sao_Paulo',
  'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'Pacific/Apia', 'Asia/Tehran', 'Africa/Casablanca');

describe('time properties', () => {
  it('when days are added in two steps, then the result is the same as adding them at once, and daysBetween gives the count back', () => {
    fc.assert(
      fc.property(date, days, days, (start, a, b) => {
        expect(addDays(addDays(start, a), b)).toBe(addDays(start, a + b));
        expect(daysBetween(start, addDays(start, a))).toBe(a);
        expect(isRealDate(addDays(start, a))).toBe(true);
      }),
    );
  });

  it('when a week passes, then the weekday is the same, and the next day is the following weekday', () => {
    const order = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    fc.assert(
      fc.property(date, fc.integer({ min: -2000, max: 2000 }), (start, weeks) => {
        expect(weekdayOf(addDays(start, 7 * weeks))).toBe(weekdayOf(start));
        expect(order.indexOf(weekdayOf(nextDay(start)))).toBe((order.indexOf(weekdayOf(start)) + 1) % 7);
      }),
    );
  });

  it('when a wall-clock time is turned into minutes and back, then it is unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 60 - 1 }), (minutes) => {
        const time = fromMinutes(minutes);
        expect(time).toMatch(TIME);
        expect(toMinutes(time)).toBe(minutes);
      }),
    );
  });

  it('when a string looks like a date, then it is real exactly when it survives a round trip through the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1971, max: 2099 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const daysInMonth = m >= 1 && m <= 12 ? new Date(Date.UTC(y, m, 0)).getUTCDate() : 0;
        expect(isRealDate(text)).toBe(d >= 1 && d <= daysInMonth);
      }),
    );
  });

  it('when a local day starts, then that instant is on that day in the zone and the millisecond before is not', () => {
    fc.assert(
      fc.property(date, zone, (day, timeZone) => {
        // the one day a listed zone skipped entirely (Samoa moved west of the date line) has no start
        fc.pre(!(timeZone === 'Pacific/Apia' && day === '2011-12-30'));
        const start = startOfLocalDay(day, timeZone);
        expect(localDateOf(start, timeZone)).toBe(day);
        expect(localDateOf(new Date(start.getTime() - 1), timeZone) < day).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
