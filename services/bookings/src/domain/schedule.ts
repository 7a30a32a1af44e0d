import { fromMinutes, toMinutes, weekdayOf, type Weekday } from '@pitlane/core';

export interface OpeningHours {
  open: string;
  close: string;
}

export interface Schedule {
  openingHours: Record<Weekday, OpeningHours | null>;
  closedDates: string[];
  dailyCapacity: number;
  slotMinutes: number;
  slotCapacity: number;
  timeslotRequired: boolean;
}

const weekday = { open: '08:00', close: '17:00' };

/** What a garage gets until it PUTs its own schedule: weekdays 08:00–17:00, hourly slots. */
export const defaultSchedule: Schedule = {
  openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: null, sun: null },
  closedDates: [],
  dailyCapacity: 16,
  slotMinutes: 60,
  slotCapacity: 2,
  timeslotRequired: false,
};

/** Slot start times of a day: from opening, every slotMinutes, while the whole slot fits before closing. */
export function slotsOf(hours: OpeningHours, slotMinutes: number): string[] {
  const slots: string[] = [];
  const close = toMinutes(hours.close);
  for (let start = toMinutes(hours.open); start + slotMinutes <= close; start += slotMinutes) {
    slots.push(fromMinutes(start));
  }
  return slots;
}

export interface DayPlan {
  date: string;
  open: boolean;
  closedReason: 'closed_date' | 'closed_weekday' | null;
  hours: OpeningHours | null;
  slots: string[];
}

export function dayPlan(schedule: Schedule, date: string): DayPlan {
  if (schedule.closedDates.includes(date)) return { date, open: false, closedReason: 'closed_date', hours: null, slots: [] };
  const hours = schedule.openingHours[weekdayOf(date)];
  if (!hours) return { date, open: false, closedReason: 'closed_weekday', hours: null, slots: [] };
  return { date, open: true, closedReason: null, hours, slots: slotsOf(hours, schedule.slotMinutes) };
}

export type BookableRefusal = 'GARAGE_CLOSED' | 'TIMESLOT_REQUIRED' | 'INVALID_TIMESLOT';

/** The guardrails that need no counting, in the order a partner fixes them: the day, then the slot. */
export function checkBookable(schedule: Schedule, date: string, timeslot: string | null): BookableRefusal | null {
  const plan = dayPlan(schedule, date);
  if (!plan.open) return 'GARAGE_CLOSED';
  if (timeslot === null) return schedule.timeslotRequired ? 'TIMESLOT_REQUIRED' : null;
  return plan.slots.includes(timeslot) ? null : 'INVALID_TIMESLOT';
}
