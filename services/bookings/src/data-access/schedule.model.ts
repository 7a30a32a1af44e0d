import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const hours = new Schema({ open: String, close: String }, { _id: false });

/** One per garage (_id = garageId). Absent until the first PUT: the defaults in domain/schedule.ts apply. */
const scheduleSchema = new Schema(
  {
    _id: { type: String, required: true },
    openingHours: {
      mon: { type: hours, default: null },
      tue: { type: hours, default: null },
      wed: { type: hours, default: null },
      thu: { type: hours, default: null },
      fri: { type: hours, default: null },
      sat: { type: hours, default: null },
      sun: { type: hours, default: null },
    },
    closedDates: { type: [String], default: [] },
    dailyCapacity: { type: Number, required: true },
    slotMinutes: { type: Number, required: true },
    slotCapacity: { type: Number, required: true },
    timeslotRequired: { type: Boolean, required: true },
  },
  { timestamps: true, versionKey: false },
);

export type ScheduleDoc = InferSchemaType<typeof scheduleSchema> & { _id: string };

export function registerScheduleModel(connection: Connection) {
  return connection.model('Schedule', scheduleSchema, 'schedules');
}
