import { Schema } from 'mongoose';

/** Per-garage counters (`<garageId>:INV:<year>`, `<garageId>:EST`): a HINT of the last number used. */
export interface CounterDoc {
  _id: string;
  seq: number;
}

export const counterSchema = new Schema<CounterDoc>({ _id: String, seq: { type: Number, required: true } }, { versionKey: false });
