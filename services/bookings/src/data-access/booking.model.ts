import { outboxPlugin, type EventEnvelope } from '@pitlane/events';
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

/** What a create decides; the rest of a new booking's document is the schema's defaults. */
export interface NewBookingDoc {
  _id: string;
  garageId: string;
  organisationId: string;
  number: string;
  customerId: string;
  vehicleId: string;
  vehicleType: string;
  date: string;
  timeslot: string | null;
  services: { serviceId: string; name: string; code: string | null; unitPrice: number; quantity: number; taxRate: number; durationMinutes: number }[];
  currency: string;
  technicianId: string | null;
  technicianIds: string[];
  bayId: string | null;
  notes: string | null;
  status: string;
  idempotencyKey?: string;
}

type StoredBooking = BookingDoc & { outbox: EventEnvelope[] };

/**
 * The new booking's document exactly as mongoose would store it (field for field and in its order:
 * the schema's defaults, its timestamps, the numbered events), for an insert through the driver.
 * test/unit/booking-document.test.ts holds it against the schema, so a field added there with a
 * default must be added here too.
 */
export function storedBooking(doc: NewBookingDoc, events: EventEnvelope[], now: Date): StoredBooking {
  const stored = {
    _id: doc._id,
    garageId: doc.garageId,
    organisationId: doc.organisationId,
    number: doc.number,
    customerId: doc.customerId,
    vehicleId: doc.vehicleId,
    vehicleType: doc.vehicleType,
    date: doc.date,
    timeslot: doc.timeslot,
    services: doc.services.map((s) => ({ serviceId: s.serviceId, name: s.name, code: s.code, unitPrice: s.unitPrice, quantity: s.quantity, taxRate: s.taxRate, durationMinutes: s.durationMinutes })),
    currency: doc.currency,
    technicianId: doc.technicianId,
    technicianIds: [...doc.technicianIds],
    bayId: doc.bayId,
    notes: doc.notes,
    status: doc.status,
    startedAt: null,
    completedAt: null,
    mileageIn: null,
    mileageOut: null,
    invoice: null,
    deletedAt: null,
    eventSeq: events.length,
    ...(doc.idempotencyKey === undefined ? {} : { idempotencyKey: doc.idempotencyKey }),
    outbox: events,
    statusHistory: [],
    parts: [],
    stages: [],
    createdAt: now,
    updatedAt: now,
  };
  // BookingDoc (InferSchemaType) types the arrays as mongoose DocumentArrays; the plain arrays here
  // are what a lean read returns for it as well
  return stored as unknown as StoredBooking;
}

/** The booking as a read returns it (the outbox is `select: false`). */
export function withoutOutbox({ outbox: _outbox, ...booking }: StoredBooking): BookingDoc {
  return booking;
}

export function registerBookingModel(connection: Connection) {
  return connection.model('Booking', bookingSchema, 'bookings');
}
