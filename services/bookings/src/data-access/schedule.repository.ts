import { defaultSchedule, type Schedule } from '../domain/schedule';
import type { Models } from './models';

export class ScheduleRepository {
  constructor(private readonly models: Pick<Models, 'Schedule'>) {}

  /** The garage's schedule, or the defaults until it PUTs one. */
  async load(garageId: string): Promise<Schedule> {
    const stored = await this.models.Schedule.findById(garageId).lean();
    if (!stored) return defaultSchedule;
    return {
      openingHours: stored.openingHours as Schedule['openingHours'],
      closedDates: stored.closedDates,
      dailyCapacity: stored.dailyCapacity,
      slotMinutes: stored.slotMinutes,
      slotCapacity: stored.slotCapacity,
      timeslotRequired: stored.timeslotRequired,
    };
  }

  async save(garageId: string, schedule: Schedule): Promise<Schedule> {
    await this.models.Schedule.updateOne({ _id: garageId }, { $set: schedule }, { upsert: true });
    return this.load(garageId);
  }
}
