import { z } from 'zod';

import { currency, localDate, money, timestamp, vehicleType } from './common';

/**
 * Events the bookings service publishes (routing key = type). Owned by the bookings service:
 * consumers (inventory, billing, webhooks) import these schemas, so a change here is a contract change.
 */
export const customerSnapshot = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});

export const vehicleSnapshot = z.object({
  id: z.string(),
  customerId: z.string(),
  vin: z.string().nullable(),
  registration: z.string().nullable(),
  make: z.string(),
  model: z.string(),
  year: z.number().int().nullable(),
  vehicleType,
});

export const bookingStatus = z.enum([
  'pending',
  'confirmed',
  'checked_in',
  'in_progress',
  'waiting_parts',
  'completed',
  'cancelled',
  'no_show',
]);

export const bookingSummary = z.object({
  bookingId: z.string(),
  number: z.string(),
  customerId: z.string(),
  vehicleId: z.string(),
  date: localDate,
  timeslot: z.string().nullable(),
  status: bookingStatus,
  technicianId: z.string().nullable(),
  /** every technician on the booking, the lead (technicianId) first; absent from older events */
  technicianIds: z.array(z.string()).optional(),
});

export const bookingsEvents = {
  'customer.created': z.object({ customer: customerSnapshot }),
  'customer.updated': z.object({ customer: customerSnapshot }),
  'vehicle.created': z.object({ vehicle: vehicleSnapshot }),
  'vehicle.updated': z.object({ vehicle: vehicleSnapshot }),
  'vehicle.deleted': z.object({ vehicle: vehicleSnapshot }),
  'booking.created': z.object({ booking: bookingSummary }),
  'booking.updated': z.object({ booking: bookingSummary, changes: z.array(z.string()) }),
  'booking.status_changed': z.object({
    booking: bookingSummary,
    from: bookingStatus,
    to: bookingStatus,
    reason: z.string().nullable(),
    /** the odometer reading taken with this change (check-in, completion); absent from older events */
    mileage: z.number().int().min(0).nullable().optional(),
  }),
  'booking.cancelled': z.object({ booking: bookingSummary, reason: z.string().nullable() }),
  'booking.deleted': z.object({ booking: bookingSummary }),
  'technician.assigned': z.object({ booking: bookingSummary, technician: z.object({ id: z.string(), name: z.string() }) }),
  /** one part line added to a booking; inventory answers with inventory.reserved or inventory.reservation_failed */
  'booking.parts_assigned': z.object({
    bookingId: z.string(),
    lineId: z.string(),
    itemId: z.string(),
    quantity: z.number().int().positive(),
  }),
  'stage.status_changed': z.object({
    bookingId: z.string(),
    stageId: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  /** everything billing needs to invoice without calling back */
  'booking.completed': z.object({
    booking: bookingSummary,
    completedAt: timestamp,
    /** the completion date in the garage's time zone (invoice date and numbering year) */
    completedOn: localDate.optional(),
    currency,
    customer: customerSnapshot,
    vehicle: vehicleSnapshot,
    technician: z.object({ id: z.string(), name: z.string() }).nullable(),
    /** the whole team, lead first (technician above is the lead); absent from older events */
    technicians: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
    /** the odometer at completion, when it was read; absent from older events */
    mileage: z.number().int().min(0).nullable().optional(),
    services: z.array(
      z.object({
        serviceId: z.string(),
        name: z.string(),
        code: z.string().nullable(),
        unitPrice: money,
        quantity: z.number().int().positive(),
        taxRate: z.number().int().min(0), // basis points
      }),
    ),
    parts: z.array(
      z.object({
        lineId: z.string(),
        itemId: z.string(),
        sku: z.string(),
        name: z.string(),
        unitPrice: money,
        quantity: z.number().int().positive(),
        taxRate: z.number().int().min(0),
        status: z.enum(['pending', 'reserved', 'backordered']),
      }),
    ),
  }),
} as const;
