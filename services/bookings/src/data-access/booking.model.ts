import { outboxPlugin } from '@pitlane/events';
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const pricedService = new Schema(
  {
    serviceId: { type: String, required: true },
    name: { type: String, required: true },
    code: { type: String, default: null },
    unitPrice: { type: Number, required: true },
    quantity: { type: Number, default: 1 },
    taxRate: { type: Number, default: 0 },
    durationMinutes: { type: Number, default: 0 },
  },
  { _id: false },
);

const partLine = new Schema(
  {
    lineId: { type: String, required: true },
    itemId: { type: String, required: true },
    sku: { type: String, required: true },
    name: { type: String, required: true },
    unitPrice: { type: Number, required: true },
    quantity: { type: Number, required: true },
    taxRate: { type: Number, default: 0 },
    status: { type: String, enum: ['pending', 'reserved', 'backordered'], default: 'pending' },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { _id: false },
);

const stage = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: null },
    technicianId: { type: String, default: null },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { _id: false },
);

/** The invoice billing made for the booking, from invoice.* events (newest occurredAt wins). */
const invoiceSummary = new Schema(
  {
    invoiceId: { type: String, required: true },
    number: { type: String, required: true },
    status: { type: String, required: true },
    total: { type: Number, required: true },
    amountPaid: { type: Number, required: true },
    currency: { type: String, required: true },
    sourceOccurredAt: { type: String, required: true },
  },
  { _id: false },
);

const bookingSchema = new Schema(
  {
    // the id is chosen before the capacity claims, which record it (see capacity.ts)
    _id: { type: String, required: true },
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    number: { type: String, required: true },
    customerId: { type: String, required: true },
    vehicleId: { type: String, required: true },
    vehicleType: { type: String, required: true },
    date: { type: String, required: true },
    timeslot: { type: String, default: null },
    services: { type: [pricedService], default: [] },
    currency: { type: String, required: true },
    /** the lead technician (kept for partners that know one) */
    technicianId: { type: String, default: null },
    /** every technician on the job, lead first; older documents lack it (domain/technicians.ts teamOf) */
    technicianIds: { type: [String], default: [] },
    bayId: { type: String, default: null },
    notes: { type: String, default: null },
    status: { type: String, required: true },
    statusHistory: {
      type: [new Schema({ from: String, to: String, reason: String, at: Date }, { _id: false })],
      default: [],
    },
    startedAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    /** odometer at check-in and at completion (the vehicle keeps the last reading) */
    mileageIn: { type: Number, default: null },
    mileageOut: { type: Number, default: null },
    invoice: { type: invoiceSummary, default: null },
    parts: { type: [partLine], default: [] },
    stages: { type: [stage], default: [] },
    deletedAt: { type: Date, default: null },
    /** the last per-booking sequence number given to an event of this booking (envelope `aggregate.seq`):
     * bumped in the same write that adds the events to the outbox; absent on older documents (= 0) */
    eventSeq: { type: Number, default: 0 },
    /** garageId|Idempotency-Key of the create, unset without one: sparse unique, so a retried create
     * can never make a second booking */
    idempotencyKey: { type: String },
  },
  { timestamps: true, versionKey: false },
);
bookingSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
// a day's bookings, and `sort=date` with its id tie-break served in index order (no in-memory sort)
bookingSchema.index({ garageId: 1, date: 1, _id: 1 });
// the sequence already makes numbers unique; the index makes that a fact of the database
bookingSchema.index({ garageId: 1, number: 1 }, { unique: true });
bookingSchema.index({ garageId: 1, customerId: 1 });
bookingSchema.index({ garageId: 1, vehicleId: 1 });
// the default list order and its cursor walk (newest first, id breaking ties): served in order, no sort
bookingSchema.index({ garageId: 1, createdAt: -1, _id: -1 });
bookingSchema.plugin(outboxPlugin);

export type BookingDoc = InferSchemaType<typeof bookingSchema> & { _id: string; createdAt: Date; updatedAt: Date };

export function registerBookingModel(connection: Connection) {
  return connection.model('Booking', bookingSchema, 'bookings');
}
