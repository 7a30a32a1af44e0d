import { errors, pageFilter, pageOf, sortOf, timestampFilter, type ListOrder, type Page, type Pagination } from '@pitlane/core';
import { bookingStatus } from '@pitlane/contracts';
import { announceOutbox, stampSequence, withEvents, type EventEnvelope } from '@pitlane/events';
import type { QueryFilter, UpdateQuery } from 'mongoose';

import { storedBooking, withoutOutbox, type BookingDoc, type NewBookingDoc } from './booking.model';
import { driverCollection } from './by-id';
import type { Models } from './models';

export type { NewBookingDoc } from './booking.model';

export interface StageRow {
  id: string;
  name: string;
  description: string | null;
  technicianId: string | null;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface PartLineRow {
  lineId: string;
  itemId: string;
  sku: string;
  name: string;
  unitPrice: number;
  quantity: number;
  taxRate: number;
  status: 'pending' | 'reserved' | 'backordered';
  createdAt: Date;
  updatedAt: Date;
}

/** What the booking still looks like when a conditional write is made (the state it was decided on). */
export interface ExpectedState {
  status: string;
  date?: string;
  timeslot?: string | null;
}

/** What a conditional write changes: fields to set, array entries to append. */
export interface BookingChange {
  set?: Record<string, unknown>;
  push?: { statusHistory?: { from: string; to: string; reason: string | null; at: Date }; parts?: PartLineRow };
}

export interface BookingFilters {
  status?: string[] | undefined;
  customerId?: string | undefined;
  vehicleId?: string | undefined;
  technicianId?: string | undefined;
  bayId?: string | undefined;
}

export type DateRange = Pick<Pagination, 'dateFrom' | 'dateTo' | 'createdFrom' | 'createdTo' | 'updatedSince'>;

/** The bookings collection: one booking document is one single-document write, with its events. */
export class BookingRepository {
  constructor(
    private readonly models: Pick<Models, 'Booking'>,
    private readonly order: ListOrder = 'index',
  ) {}

  /** A live booking of the garage, or 404. */
  async require(garageId: string, id: string): Promise<BookingDoc> {
    const booking = await this.models.Booking.findOne({ _id: id, garageId, deletedAt: null }).lean<BookingDoc>();
    if (!booking) throw errors.notFound('Booking');
    return booking;
  }

  findByIdempotencyKey(garageId: string, idempotencyKey: string): Promise<BookingDoc | null> {
    return this.models.Booking.findOne({ idempotencyKey, garageId }).lean<BookingDoc>().exec();
  }

  /**
   * Inserts the booking with its events in the same write (outbox). A driver write of the document
   * as mongoose would store it (storedBooking, checked against the schema in a unit test): building,
   * casting and validating a mongoose document was a third of a create's CPU, and the use-case has
   * already checked every field. The relay is told itself (mongoose's hooks do not see the write).
   */
  async insert(doc: NewBookingDoc, events: EventEnvelope[]): Promise<BookingDoc> {
    const stored = storedBooking(doc, stampSequence(events, 'booking', doc._id, 0), new Date());
    await driverCollection<typeof stored>(this.models.Booking).insertOne(stored);
    announceOutbox(this.models.Booking, doc._id);
    return withoutOutbox(stored);
  }

  /** One conditional write: applied only while the live booking is still in the expected state
   * (status, and date and timeslot when given); false when another request changed it first. */
  async writeIfUnchanged(garageId: string, id: string, expected: ExpectedState, change: BookingChange, events: EventEnvelope[]): Promise<boolean> {
    const filter: Record<string, unknown> = { _id: id, garageId, status: expected.status, deletedAt: null };
    if (expected.date !== undefined) filter.date = expected.date;
    if (expected.timeslot !== undefined) filter.timeslot = expected.timeslot;
    const update = { ...(change.set ? { $set: change.set } : {}), ...(change.push ? { $push: change.push } : {}) };
    return this.writeWithEvents(garageId, id, filter, update, events);
  }

  /**
   * One conditional write that also numbers its events: they get the booking's next sequence numbers
   * and `eventSeq` moves past them in the SAME write (compare-and-set on eventSeq). When only eventSeq
   * moved in between (another write of the booking), the write is retried; false when `filter` no
   * longer matches.
   */
  private async writeWithEvents(
    garageId: string,
    id: string,
    filter: QueryFilter<BookingDoc>,
    update: UpdateQuery<BookingDoc>,
    events: EventEnvelope[],
    options: { arrayFilters?: Record<string, unknown>[] } = {},
  ): Promise<boolean> {
    if (events.length === 0) return (await this.models.Booking.updateOne(filter, update, options)).matchedCount === 1;
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = await this.models.Booking.findOne({ _id: id, garageId }, { eventSeq: 1 }).lean<{ eventSeq?: number | null }>();
      if (!current) return false;
      const last = current.eventSeq ?? 0;
      const numbered = stampSequence(events, 'booking', id, last);
      const result = await this.models.Booking.updateOne(
        { $and: [filter, { eventSeq: last === 0 ? { $in: [null, 0] } : last }] },
        withEvents<BookingDoc>({ ...update, $set: { ...(update.$set ?? {}), eventSeq: last + events.length } }, ...numbered),
        options,
      );
      if (result.matchedCount === 1) return true;
      if (!(await this.models.Booking.exists(filter))) return false;
    }
    throw errors.unavailable('The booking is being changed by too many requests; retry shortly.');
  }

  /** A stage's technician joins the booking's team in the same write. */
  async pushStage(garageId: string, bookingId: string, stage: StageRow): Promise<void> {
    await this.models.Booking.updateOne(
      { _id: bookingId, garageId, deletedAt: null },
      { $push: { stages: stage }, ...(stage.technicianId ? { $addToSet: { technicianIds: stage.technicianId } } : {}) },
    );
  }

  async updateStage(garageId: string, bookingId: string, stageId: string, fields: { name?: string; description?: string | null; technicianId?: string | null; updatedAt: Date }): Promise<void> {
    const set = Object.fromEntries(Object.entries(fields).map(([field, value]) => [`stages.$.${field}`, value]));
    const join = fields.technicianId ? { $addToSet: { technicianIds: fields.technicianId } } : {};
    await this.models.Booking.updateOne({ _id: bookingId, garageId, 'stages.id': stageId }, { $set: set, ...join });
  }

  /** Removes the stage only while it is still draft or open. */
  async removeUnstartedStage(garageId: string, bookingId: string, stageId: string): Promise<void> {
    await this.models.Booking.updateOne({ _id: bookingId, garageId }, { $pull: { stages: { id: stageId, status: { $in: ['draft', 'open'] } } } });
  }

  /** Moves a stage from `from` to `to` with its event, only if it is still at `from`. */
  async setStageStatus(garageId: string, bookingId: string, stageId: string, from: string, to: string, at: Date, event: EventEnvelope): Promise<boolean> {
    return this.writeWithEvents(
      garageId,
      bookingId,
      { _id: bookingId, garageId, deletedAt: null, stages: { $elemMatch: { id: stageId, status: from } } },
      { $set: { 'stages.$[stage].status': to, 'stages.$[stage].updatedAt': at } },
      [event],
      { arrayFilters: [{ 'stage.id': stageId, 'stage.status': from }] },
    );
  }

  /** Moves a part line to `to` only from one of the `from` states; false when nothing moved. */
  async setPartStatus(garageId: string | null | undefined, bookingId: string, lineId: string, from: string[], to: string): Promise<boolean> {
    const result = await this.models.Booking.updateOne(
      { _id: bookingId, garageId, parts: { $elemMatch: { lineId, status: { $in: from } } } },
      // arrayFilters rather than the positional `$`: the stand-in cannot resolve `$` from an $elemMatch with operators
      { $set: { 'parts.$[line].status': to, 'parts.$[line].updatedAt': new Date() } },
      { arrayFilters: [{ 'line.lineId': lineId, 'line.status': { $in: from } }] },
    );
    return result.modifiedCount === 1;
  }

  /** A page of the garage's bookings; with `count: false` no count of the whole match, only whether
   * more follow (one document past the limit is read for that). */
  async list(garageId: string, pagination: Pagination, filters: BookingFilters, options: { count?: boolean } = {}): Promise<Page<BookingDoc>> {
    const filter = filterOf(garageId, filters, pagination);
    // _id breaks ties so pages never overlap or skip when many bookings share a date
    const sort = sortOf(pagination, this.order);
    const skip = pagination.cursor?.requested ? 0 : pagination.skip;
    return pageOf(
      (limit) => this.models.Booking.find(pageFilter(filter, pagination)).sort(sort).skip(skip).limit(limit).lean<BookingDoc[]>().exec(),
      () => this.models.Booking.countDocuments(filter).exec(),
      pagination,
      options.count ?? true,
    );
  }

  /** Every status with its count (zeros included), and the total. */
  async counts(garageId: string, range: DateRange, filters: BookingFilters): Promise<Record<string, number>> {
    const rows = await this.models.Booking.aggregate<{ _id: string; n: number }>([
      { $match: filterOf(garageId, filters, range) },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    const counts: Record<string, number> = Object.fromEntries(bookingStatus.options.map((s) => [s, 0]));
    for (const row of rows) counts[row._id] = row.n;
    return { ...counts, total: rows.reduce((sum, row) => sum + row.n, 0) };
  }

  /** A technician's live bookings dated in the range, with what their stats need. */
  forTechnician(garageId: string, technicianId: string, range: DateRange) {
    return this.models.Booking.find(filterOf(garageId, { technicianId }, range), { status: 1, startedAt: 1, completedAt: 1, services: 1, parts: 1 }).lean().exec();
  }

  /** The live bookings in the given statuses that sit in the given bays. */
  async inBays(garageId: string, bayIds: string[], statuses: string[]): Promise<{ _id: string; bayId: string; number: string }[]> {
    const rows = await this.models.Booking.find({ garageId, bayId: { $in: bayIds }, status: { $in: statuses }, deletedAt: null }, { bayId: 1, number: 1 }).lean();
    return rows.map((b) => ({ _id: b._id, bayId: b.bayId as string, number: b.number }));
  }

  /** How many live bookings the customer has, and the latest date among them. */
  async customerStats(garageId: string, customerId: string): Promise<{ bookingCount: number; lastBookingDate: string | null }> {
    const filter = { garageId, customerId, deletedAt: null };
    const [bookingCount, last] = await Promise.all([
      this.models.Booking.countDocuments(filter),
      this.models.Booking.findOne(filter, { date: 1 }).sort({ date: -1 }).lean(),
    ]);
    return { bookingCount, lastBookingDate: last?.date ?? null };
  }

  /** Status, date, slot and deletion of bookings by id, deleted ones included (the reconciler). */
  async statesById(ids: string[]): Promise<Map<string, BookingState>> {
    if (ids.length === 0) return new Map();
    const rows = await this.models.Booking.find({ _id: { $in: ids } }, { status: 1, date: 1, timeslot: 1, deletedAt: 1 }).lean<BookingState[]>();
    return new Map(rows.map((row) => [row._id, row]));
  }

  /** Every live booking dated `since` or later whose status is not one of `freeing` (they hold a
   * place): the capacity-days migration's start-up sweep over all garages. */
  placesHeldSince(since: string, freeing: readonly string[]): Promise<HeldPlace[]> {
    return this.models.Booking.find({ date: { $gte: since }, deletedAt: null, status: { $nin: [...freeing] } }, { garageId: 1, date: 1, timeslot: 1 })
      .lean<HeldPlace[]>()
      .exec();
  }
}

/** A booking's place on a day, as the capacity-days migration rebuilds a day from it. */
export interface HeldPlace {
  _id: string;
  garageId: string;
  date: string;
  timeslot: string | null;
}

export interface BookingState {
  _id: string;
  status: string;
  date: string;
  timeslot: string | null;
  deletedAt: Date | null;
}

function filterOf(garageId: string, filters: BookingFilters, range: DateRange) {
  const filter: Record<string, unknown> = { garageId, deletedAt: null, ...timestampFilter(range) };
  if (filters.status) filter.status = { $in: filters.status };
  if (filters.customerId) filter.customerId = filters.customerId;
  if (filters.vehicleId) filter.vehicleId = filters.vehicleId;
  // the lead or any other member of the team (older documents list only their lead)
  if (filters.technicianId) filter.$or = [{ technicianId: filters.technicianId }, { technicianIds: filters.technicianId }];
  if (filters.bayId) filter.bayId = filters.bayId;
  if (range.dateFrom || range.dateTo) {
    filter.date = { ...(range.dateFrom ? { $gte: range.dateFrom } : {}), ...(range.dateTo ? { $lte: range.dateTo } : {}) };
  }
  return filter;
}
