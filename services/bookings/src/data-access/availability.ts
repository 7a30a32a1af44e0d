import { addDays, daysBetween } from '../domain/local-date';
import { dayPlan } from '../domain/schedule';
import { dayKey, slotKey } from './capacity';
import type { CounterDoc } from './capacity.model';
import { loadSchedule, type Ctx } from './context';

/** Per day: open?, capacity, booked, remaining, and each slot's remaining capacity. Read from the same
 * counters and schedule creation uses, so what is shown as free is what a create would get. A slot's
 * remaining is also capped by the day's remaining, since a slot booking takes one of both; days
 * before today (garage time zone) have nothing remaining. */
export async function availability(ctx: Ctx, garageId: string, from: string, to: string, today: string) {
  const schedule = await loadSchedule(ctx.models, garageId);
  const counters = await ctx.models.CapacityCounter.find({ garageId, date: { $gte: from, $lte: to } }, { claims: 0 }).lean<CounterDoc[]>();
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
