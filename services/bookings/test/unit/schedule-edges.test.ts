import { checkBookable, dayPlan, defaultSchedule } from '../../src/domain/schedule';

/** What a garage that never set its schedule gets, and what a closed weekday shows (issue 18). */
describe('schedule edges', () => {
  it('when a garage has no schedule of its own, then it is open weekdays 08:00–17:00 in hourly slots of 2, 16 a day, no closed dates, timeslot optional', () => {
    const weekday = { open: '08:00', close: '17:00' };
    expect(defaultSchedule).toEqual({
      openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: null, sun: null },
      closedDates: [],
      dailyCapacity: 16,
      slotMinutes: 60,
      slotCapacity: 2,
      timeslotRequired: false,
    });
    expect(checkBookable(defaultSchedule, '2026-12-07', null)).toBeNull(); // a Monday, no slot needed
  });

  it('when the garage is closed on that weekday, then the day plan shows no hours and no slots', () => {
    expect(dayPlan(defaultSchedule, '2026-12-06')).toEqual({ date: '2026-12-06', open: false, closedReason: 'closed_weekday', hours: null, slots: [] });
  });
});
