import { addDays, fromMinutes, TIME, toMinutes, weekdayKeys } from '@pitlane/core';
import fc from 'fast-check';

import { checkBookable, dayPlan, type OpeningHours, type Schedule, slotsOf } from '../../src/domain/schedule';

/** Properties of opening hours and slots over generated schedules (the hand-written cases are in
 * schedule.test.ts and schedule-edges.test.ts). */

const minute = fc.integer({ min: 0, max: 24 * 60 - 1 });
const hours: fc.Arbitrary<OpeningHours> = fc
  .tuple(minute, minute)
  .filter(([a, b]) => a < b)
  .map(([open, close]) => ({ open: fromMinutes(open), close: fromMinutes(close) }));
const slotMinutes = fc.constantFrom(15, 20, 30, 45, 60, 90, 120);
const date = fc.integer({ min: 0, max: 20 * 366 }).map((offset) => addDays('2020-01-01', offset));
const schedule: fc.Arbitrary<Schedule> = fc.record({
  openingHours: fc.record(Object.fromEntries(weekdayKeys.map((day) => [day, fc.option(hours, { nil: null })])) as Record<(typeof weekdayKeys)[number], fc.Arbitrary<OpeningHours | null>>),
  closedDates: fc.array(date, { maxLength: 10 }),
  dailyCapacity: fc.integer({ min: 1, max: 50 }),
  slotMinutes,
  slotCapacity: fc.integer({ min: 1, max: 10 }),
  timeslotRequired: fc.boolean(),
});

describe('schedule properties', () => {
  it('when a day is sliced into slots, then every slot starts on the grid from opening and ends by closing', () => {
    fc.assert(
      fc.property(hours, slotMinutes, (day, length) => {
        const slots = slotsOf(day, length);
        const [open, close] = [toMinutes(day.open), toMinutes(day.close)];
        slots.forEach((slot, index) => {
          expect(slot).toMatch(TIME);
          expect(toMinutes(slot)).toBe(open + index * length);
          expect(toMinutes(slot) + length).toBeLessThanOrEqual(close);
        });
        // and no further slot would have fitted
        expect(open + (slots.length + 1) * length).toBeGreaterThan(close);
      }),
    );
  });

  it('when a date is bookable at all, then exactly the slots of its day plan are accepted', () => {
    fc.assert(
      fc.property(schedule, date, fc.option(minute, { nil: null }), (garage, day, requested) => {
        const plan = dayPlan(garage, day);
        const timeslot = requested === null ? null : fromMinutes(requested);
        const refusal = checkBookable(garage, day, timeslot);
        if (!plan.open) return expect(refusal).toBe('GARAGE_CLOSED');
        if (timeslot === null) return expect(refusal).toBe(garage.timeslotRequired ? 'TIMESLOT_REQUIRED' : null);
        return expect(refusal).toBe(plan.slots.includes(timeslot) ? null : 'INVALID_TIMESLOT');
      }),
    );
  });

  it('when a date is listed as closed, then nothing can be booked that day whatever its weekday hours', () => {
    fc.assert(
      fc.property(schedule, date, fc.option(minute, { nil: null }), (garage, day, requested) => {
        const closed = { ...garage, closedDates: [...garage.closedDates, day] };
        expect(checkBookable(closed, day, requested === null ? null : fromMinutes(requested))).toBe('GARAGE_CLOSED');
        expect(dayPlan(closed, day)).toMatchObject({ open: false, closedReason: 'closed_date', slots: [] });
      }),
    );
  });

  it('when the same weekday recurs a week later, then it has the same plan unless one of them is a closed date', () => {
    fc.assert(
      fc.property(schedule, date, (garage, day) => {
        const later = addDays(day, 7);
        fc.pre(!garage.closedDates.includes(day) && !garage.closedDates.includes(later));
        expect({ ...dayPlan(garage, later), date: day }).toEqual(dayPlan(garage, day));
      }),
    );
  });
});
