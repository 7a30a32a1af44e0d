import { checkBookable, dayPlan, defaultSchedule, slotsOf, type Schedule } from '../../src/domain/schedule';

/** The schedule rules against hand-computed cases (date arithmetic itself: libs/core/test/time.test.ts). */
describe('garage schedule (slots, open days, bookable)', () => {
  it('when slots are cut from opening hours, then only whole slots that end by closing time count', () => {
    // 08:00 + k·45 min while start + 45 ≤ 12:00: 08:00, 08:45, 09:30, 10:15, 11:00 (11:45 would end 12:30)
    expect(slotsOf({ open: '08:00', close: '12:00' }, 45)).toEqual(['08:00', '08:45', '09:30', '10:15', '11:00']);
    expect(slotsOf({ open: '09:30', close: '10:00' }, 60)).toEqual([]);
  });

  it('when the default schedule is asked about a Saturday and a Monday slot, then closed and the slot grid decide', () => {
    expect(checkBookable(defaultSchedule, '2026-12-05', null)).toBe('GARAGE_CLOSED'); // a Saturday
    expect(checkBookable(defaultSchedule, '2026-12-07', '16:00')).toBeNull(); // Monday, last hourly slot before 17:00
    expect(checkBookable(defaultSchedule, '2026-12-07', '16:30')).toBe('INVALID_TIMESLOT');
  });

  it('when a date is closed or the garage requires a timeslot, then the day is refused before the slot', () => {
    const schedule: Schedule = { ...defaultSchedule, closedDates: ['2026-12-07'], timeslotRequired: true };
    expect(dayPlan(schedule, '2026-12-07')).toEqual({ date: '2026-12-07', open: false, closedReason: 'closed_date', hours: null, slots: [] });
    expect(dayPlan(schedule, '2026-12-06')).toMatchObject({ open: false, closedReason: 'closed_weekday' }); // a Sunday
    expect(checkBookable(schedule, '2026-12-07', '09:00')).toBe('GARAGE_CLOSED');
    expect(checkBookable(schedule, '2026-12-08', null)).toBe('TIMESLOT_REQUIRED');
    expect(checkBookable(schedule, '2026-12-08', '09:00')).toBeNull();
  });
});
