import { addDays, daysBetween } from '@pitlane/core';

import { dayKey, slotKey } from '../data-access/capacity.repository';
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
    const counters = await this.deps.repos.capacity.countersBetween(garageId, from, to);
    const booked = new Map(counters.map((c) => [c._id, c.booked]));
    const days = [];
    for (let i = 0; i <= daysBetween(from, to); i++) {
      const date = addDays(from, i);
      const plan = dayPlan(schedule, date);
      const dayBooked = booked.get(dayKey(garageId, date)) ?? 0;
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
          const slotBooked = booked.get(slotKey(garageId, date, time)) ?? 0;
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
