import { addDays, daysBetween, isRealDate, todayIn, weekdayOf } from '../src/domain/local-date';
import { checkBookable, defaultSchedule, slotsOf } from '../src/domain/schedule';

/** The one module that does date and time arithmetic, against hand-computed cases. */
describe('calendar arithmetic (garage-local dates and times)', () => {
  it('when slots are cut from opening hours, then only whole slots that end by closing time count', () => {
    // 08:00 + k·45 min while start + 45 ≤ 12:00: 08:00, 08:45, 09:30, 10:15, 11:00 (11:45 would end 12:30)
    expect(slotsOf({ open: '08:00', close: '12:00' }, 45)).toEqual(['08:00', '08:45', '09:30', '10:15', '11:00']);
    expect(slotsOf({ open: '09:30', close: '10:00' }, 60)).toEqual([]);
  });

  it('when dates cross month ends and leap days, then they add up like the calendar', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across the European DST change
    expect(weekdayOf('2024-02-29')).toBe('thu');
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2028-02-29')).toBe(true);
  });

  it("when it is 10:00 UTC on 1 January, then today is the 2nd in Kiritimati (UTC+14) and 31 December in Pago Pago (UTC−11)", () => {
    const instant = new Date('2026-01-01T10:00:00Z');
    expect(todayIn('Pacific/Kiritimati', instant)).toBe('2026-01-02');
    expect(todayIn('Pacific/Pago_Pago', instant)).toBe('2025-12-31');
    expect(todayIn('Not/AZone', instant)).toBe('2026-01-01');
  });

  it('when the default schedule is asked about a Saturday and a Monday slot, then closed and the slot grid decide', () => {
    expect(checkBookable(defaultSchedule, '2026-12-05', null)).toBe('GARAGE_CLOSED'); // a Saturday
    expect(checkBookable(defaultSchedule, '2026-12-07', '16:00')).toBeNull(); // Monday, last hourly slot before 17:00
    expect(checkBookable(defaultSchedule, '2026-12-07', '16:30')).toBe('INVALID_TIMESLOT');
  });
});
