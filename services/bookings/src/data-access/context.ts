import type { OutboxRelay } from '@pitlane/events';
import type { Connection } from 'mongoose';

import type { Config } from '../config';
import { defaultSchedule, type Schedule } from '../domain/schedule';
import type { CapacityStore } from './capacity';
import type { Models } from './models';
import type { Reconciler } from './reconciler';

/** What the routes and handlers of this service work with. */
export interface Ctx {
  config: Config;
  models: Models;
  capacity: CapacityStore;
  reconciler: Reconciler;
  relay: OutboxRelay;
  connection: Connection;
}

/** The garage's schedule, or the defaults until it PUTs one. */
export async function loadSchedule(models: Models, garageId: string): Promise<Schedule> {
  const stored = await models.Schedule.findById(garageId).lean();
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

export async function saveSchedule(models: Models, garageId: string, schedule: Schedule): Promise<Schedule> {
  await models.Schedule.updateOne({ _id: garageId }, { $set: schedule }, { upsert: true });
  return loadSchedule(models, garageId);
}
