import { type EventData, type EventType } from '@pitlane/contracts';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import type { BookingDoc } from '../data-access/booking.model';
import type { CustomerDoc } from '../data-access/customer.model';
import type { VehicleDoc } from '../data-access/vehicle.model';
import { teamOf } from '../domain/technicians';
import type { Tenant } from '../domain/types';

/** A typed envelope of one of this service's events, to be stored in the outbox with the change. */
export function bookingsEvent<T extends EventType>(tenant: Tenant, type: T, data: EventData<T>): EventEnvelope<EventData<T>> {
  return createEvent('bookings', { type, data, organisationId: tenant.organisationId, garageId: tenant.garageId });
}

export function customerSnapshot(c: Pick<CustomerDoc, '_id' | 'firstName' | 'lastName' | 'email' | 'phone'>): EventData<'customer.created'>['customer'] {
  return { id: c._id, firstName: c.firstName, lastName: c.lastName, email: c.email ?? null, phone: c.phone ?? null };
}

export function vehicleSnapshot(v: VehicleDoc): EventData<'vehicle.created'>['vehicle'] {
  return {
    id: v._id,
    customerId: v.customerId,
    vin: v.vin ?? null,
    registration: v.registration ?? null,
    make: v.make,
    model: v.model,
    year: v.year ?? null,
    vehicleType: v.vehicleType as EventData<'vehicle.created'>['vehicle']['vehicleType'],
  };
}

export function bookingSummary(b: Pick<BookingDoc, '_id' | 'number' | 'customerId' | 'vehicleId' | 'date' | 'timeslot' | 'status' | 'technicianId'> & { technicianIds?: string[] | null | undefined }): EventData<'booking.created'>['booking'] {
  return {
    bookingId: b._id,
    number: b.number,
    customerId: b.customerId,
    vehicleId: b.vehicleId,
    date: b.date,
    timeslot: b.timeslot ?? null,
    status: b.status as EventData<'booking.created'>['booking']['status'],
    technicianId: b.technicianId ?? null,
    technicianIds: teamOf(b).technicianIds,
  };
}
