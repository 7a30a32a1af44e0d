import type { Logger } from '@pitlane/core';

import type { BookingRepository } from '../data-access/booking.repository';
import { dayKey, type CapacityRepository } from '../data-access/capacity.repository';
import { capacityFreeingStatuses } from '../domain/booking-status';

/**
 * Upgrade from one counter document per garage-day and per slot (`capacity_counters`) to one day
 * document with its slot counts (`capacity_days`). A day that live bookings hold but that has no day
 * document yet would otherwise start again at zero and be overbooked; so, before the service takes
 * bookings, each such day is rebuilt from the bookings themselves (the truth, by the reconciler's own
 * rule of what holds capacity). Idempotent: only a missing day is created, by a conditional upsert,
 * so a restart or two instances starting together change nothing twice.
 */
export class CapacityDaysMigration {
  constructor(
    private readonly counters: Pick<CapacityRepository, 'existingDays' | 'seedDay'>,
    private readonly bookings: Pick<BookingRepository, 'placesHeldSince'>,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<{ seeded: number }> {
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10); // any time zone's today, like the reconciler
    const days = new Map<string, { garageId: string; date: string; holders: { bookingId: string; slot: string | null }[] }>();
    for (const place of await this.bookings.placesHeldSince(since, capacityFreeingStatuses)) {
      const key = dayKey(place.garageId, place.date);
      const day = days.get(key) ?? { garageId: place.garageId, date: place.date, holders: [] };
      day.holders.push({ bookingId: place._id, slot: place.timeslot ?? null });
      days.set(key, day);
    }
    const existing = await this.counters.existingDays([...days.keys()]);
    let seeded = 0;
    for (const [key, day] of days) {
      if (existing.has(key)) continue;
      if (await this.counters.seedDay(day.garageId, day.date, day.holders)) seeded++;
    }
    if (seeded > 0) this.logger.info({ seeded }, 'capacity days rebuilt from bookings');
    return { seeded };
  }
}
