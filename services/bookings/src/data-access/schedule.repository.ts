import { defaultSchedule, type Schedule } from '../domain/schedule';
import { driverCollection } from './by-id';
import type { Models } from './models';
import type { ScheduleDoc } from './schedule.model';

export class ScheduleRepository {
  constructor(private readonly models: Pick<Models, 'Schedule'>) {}

  /** The garage's schedule, or the defaults until it PUTs one (a driver read: every create reads it). */
  async load(garageId: string): Promise<Schedule> {
    const stored = await driverCollection<ScheduleDoc>(this.models.Schedule).findOne({ _id: garageId });
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
