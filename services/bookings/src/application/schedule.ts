import { addDays, daysBetween } from '@pitlane/core';

import { dayPlan, type Schedule } from '../domain/schedule';
import type { GarageSettings } from '../domain/settings';
import type { UseCaseDeps } from './deps';

/** The garage's schedule and the availability derived from it and the capacity counters. */
export class Scheduling {
  constructor(private readonly deps: UseCaseDeps) {}

  /** Editing the schedule does not move or cancel existing bookings (see README, Left out). */
  save(garageId: string, schedule: Schedule): Promise<Schedule> {
    return this.deps.repos.schedules.save(garageId, schedule);
  }

  /** Applies to part lines added from now on; lines already on bookings keep the rate they got. */
  saveSettings(garageId: string, settings: GarageSettings): Promise<GarageSettings> {
    return this.deps.repos.settings.save(garageId, settings);
  }

  /** Per day: open?, capacity, booked, remaining, and each slot's remaining capacity. Read from the same
   * counters and schedule creation uses, so what is shown as free is what a create would get. A slot's
   * remaining is also capped by the day's remaining, since a slot booking takes one of both; days
   * before today (garage time zone) have nothing remaining. */
  async availability(garageId: string, from: string, to: string, today: string) {
    const schedule = await this.deps.repos.schedules.load(garageId);
    const booked = new Map((await this.deps.repos.capacity.daysBetween(garageId, from, to)).map((day) => [day.date, day]));
    const days = [];
    for (let i = 0; i <= daysBetween(from, to); i++) {
      const date = addDays(from, i);
      const plan = dayPlan(schedule, date);
      const counts = booked.get(date);
      const dayBooked = counts?.booked ?? 0;
      const capacity = plan.open ? schedule.dailyCapacity : 0;
      // a past day cannot be booked (creation refuses it), so nothing remains there
      const bookable = plan.open && date >= today;
      const remaining = bookable ? Math.max(0, capacity - dayBooked) : 0;
      days.push({
        date,
        open: plan.open,
        bookable,
        closedReason: plan.closedReason,
        openingHours: plan.hours,
        capacity,
        booked: dayBooked,
        remaining,
        slots: plan.slots.map((time) => {
          const slotBooked = counts?.slots[time] ?? 0;
          return {
            time,
            capacity: schedule.slotCapacity,
            booked: slotBooked,
            remaining: Math.min(remaining, Math.max(0, schedule.slotCapacity - slotBooked)),
          };
        }),
      });
    }
    return { timeslotRequired: schedule.timeslotRequired, slotMinutes: schedule.slotMinutes, days };
  }
}
