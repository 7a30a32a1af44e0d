import { bookingStatus, customerSnapshot, vehicleSnapshot, vehicleType } from '@pitlane/contracts';
import { openApiRegistry, weekdayKeys } from '@pitlane/core';
import { z } from 'zod';

/** What partners get back (views.ts), as zod schemas for the OpenAPI document. They describe the
 * responses; nothing parses with them at run time, so views.ts stays the one place that shapes them. */
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' });
const localDate = z.string().openapi({ format: 'date', example: '2026-03-02' });
const money = z.number().int().openapi({ description: 'integer in the currency minor unit' });
const currency = z.string().openapi({ example: 'EUR' });
const stamps = { createdAt: timestamp, updatedAt: timestamp };

const nullableText = z.string().nullable();
export const addressResource = openApiRegistry.register(
  'Address',
  z.object({ line1: z.string(), line2: nullableText, city: nullableText, region: nullableText, postcode: nullableText, country: nullableText.openapi({ description: 'ISO 3166-1 alpha-2' }) }),
);
export const customerResource = openApiRegistry.register(
  'Customer',
  // an explicit union: `.nullable()` on a registered schema comes out as allOf [$ref, {type: [object, null]}],
  // which no null satisfies (zod-to-openapi#387)
  customerSnapshot.extend({ address: z.union([addressResource, z.null()]), notes: z.string().nullable(), ...stamps }).openapi({
    example: { id: 'cus_01', firstName: 'Ana', lastName: 'Silva', email: 'ana@example.com', phone: '+351 912 345 678', address: null, notes: null, createdAt: '2026-03-02T09:15:00.000Z', updatedAt: '2026-03-02T09:15:00.000Z' },
  }),
);
export const customerWithStats = openApiRegistry.register(
  'CustomerWithStats',
  customerResource.extend({
    stats: z.object({ bookingCount: z.number().int(), lastBookingDate: localDate.nullable(), lifetimeSpend: money, currency }),
  }),
);
export const vehicleResource = openApiRegistry.register(
  'Vehicle',
  vehicleSnapshot.extend({ color: z.string().nullable(), mileage: z.number().int().nullable(), ...stamps }).openapi({
    example: { id: 'veh_01', customerId: 'cus_01', vin: 'WVWZZZ1JZXW000001', registration: 'AA-00-BB', make: 'Volkswagen', model: 'Golf', year: 2019, vehicleType: 'car', color: 'blue', mileage: 84000, createdAt: '2026-03-02T09:15:00.000Z', updatedAt: '2026-03-02T09:15:00.000Z' },
  }),
);

export const partLineResource = openApiRegistry.register(
  'BookingPart',
  z.object({
    id: z.string(), itemId: z.string(), sku: z.string(), name: z.string(), quantity: z.number().int(), unitPrice: money,
    taxRate: z.number().int().openapi({ description: 'basis points' }), status: z.string().openapi({ example: 'reserved' }), ...stamps,
  }),
);
export const stageResource = openApiRegistry.register(
  'BookingStage',
  z.object({
    id: z.string(), name: z.string(), description: z.string().nullable(), technicianId: z.string().nullable(),
    status: z.enum(['draft', 'open', 'in_progress', 'completed', 'invoiced', 'closed']), ...stamps,
  }),
);
/** billing's invoice of a booking, null until its invoice.created has arrived */
const bookingInvoice = z
  .object({ id: z.string(), number: z.string(), status: z.string(), total: money, amountPaid: money, currency })
  .nullable();
const mileage = { mileageIn: z.number().int().nullable(), mileageOut: z.number().int().nullable() };
const team = {
  technicianId: z.string().nullable().openapi({ description: 'the lead technician' }),
  technicianIds: z.array(z.string()).openapi({ description: 'the whole team, lead first' }),
};
export const bookingResource = openApiRegistry.register(
  'Booking',
  z.object({
    id: z.string(), number: z.string().openapi({ example: 'BK-000042' }), customerId: z.string(), vehicleId: z.string(),
    date: localDate, timeslot: z.string().nullable().openapi({ example: '09:00' }), status: bookingStatus,
    serviceIds: z.array(z.string()),
    services: z.array(z.object({ serviceId: z.string(), name: z.string(), code: z.string().nullable(), unitPrice: money, quantity: z.number().int(), taxRate: z.number().int() })),
    currency, ...team, bayId: z.string().nullable(), notes: z.string().nullable(),
    parts: z.array(partLineResource), stages: z.array(stageResource),
    statusHistory: z.array(z.object({ from: bookingStatus, to: bookingStatus, reason: z.string().nullable(), at: timestamp })),
    startedAt: timestamp.nullable(), completedAt: timestamp.nullable(), ...mileage, invoice: bookingInvoice, ...stamps,
  }),
);
export const bookingDetailResource = openApiRegistry.register(
  'BookingDetail',
  bookingResource.extend({ customer: customerSnapshot.nullable(), vehicle: vehicleSnapshot.nullable() }),
);
export const historyEntryResource = openApiRegistry.register(
  'ServiceHistoryEntry',
  z.object({
    bookingId: z.string(), number: z.string(), date: localDate, completedAt: timestamp.nullable(), ...mileage, ...team,
    services: bookingResource.shape.services,
    parts: z.array(partLineResource.pick({ itemId: true, sku: true, name: true, quantity: true, unitPrice: true, taxRate: true })),
    currency, invoice: bookingInvoice,
  }),
);
export const settingsResource = openApiRegistry.register(
  'BookingSettings',
  z.object({ defaultPartsTaxRate: z.number().int().openapi({ description: 'basis points, for parts whose item has no tax rate' }) }),
);
export const bookingCountsResource = openApiRegistry.register(
  'BookingCounts',
  z.object(Object.fromEntries([...bookingStatus.options, 'total'].map((s) => [s, z.number().int()]))),
);

export const serviceResource = openApiRegistry.register(
  'Service',
  z.object({
    id: z.string(), name: z.string(), code: z.string().nullable(), durationMinutes: z.number().int(),
    prices: z.array(z.object({ vehicleType, price: money, currency })), taxRate: z.number().int(), currency, ...stamps,
  }),
);
export const servicePriceResource = z.object({ vehicleType, price: money, currency });
export const technicianResource = openApiRegistry.register(
  'Technician',
  z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), skills: z.array(z.string()), ...stamps }),
);
export const technicianStatsResource = openApiRegistry.register(
  'TechnicianStats',
  z.object({
    technicianId: z.string(), dateFrom: localDate.nullable(), dateTo: localDate.nullable(), completed: z.number().int(),
    inProgress: z.number().int(), averageHoursToComplete: z.number().nullable(), revenue: money, currency,
  }),
);
export const bayResource = openApiRegistry.register(
  'Bay',
  z.object({
    id: z.string(), name: z.string(), type: z.string().nullable(), status: z.enum(['available', 'occupied', 'out_of_service']),
    booking: z.object({ id: z.string(), number: z.string() }).nullable(), ...stamps,
  }),
);

const hours = z.object({ open: z.string(), close: z.string() }).nullable();
export const scheduleResource = openApiRegistry.register(
  'ScheduleView',
  z.object({
    timezone: z.string().openapi({ example: 'Europe/Lisbon' }),
    openingHours: z.object({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours }),
    closedDates: z.array(localDate), dailyCapacity: z.number().int(), slotMinutes: z.number().int(), slotCapacity: z.number().int(),
    timeslotRequired: z.boolean(),
  }),
);
export const clockResource = openApiRegistry.register(
  'GarageClock',
  z.object({
    garageId: z.string(),
    timezone: z.string().openapi({ example: 'Europe/Lisbon' }),
    now: timestamp,
    today: localDate.openapi({ description: "the garage's calendar date now, in its time zone" }),
    weekday: z.enum(weekdayKeys).openapi({ example: 'mon' }),
  }),
);
export const availabilityResource = openApiRegistry.register(
  'Availability',
  z.object({
    timezone: z.string(), timeslotRequired: z.boolean(), slotMinutes: z.number().int(),
    days: z.array(z.object({
      date: localDate, open: z.boolean(), bookable: z.boolean(), closedReason: z.enum(['closed_date', 'closed_weekday']).nullable(),
      openingHours: hours, capacity: z.number().int(), booked: z.number().int(), remaining: z.number().int(),
      slots: z.array(z.object({ time: z.string(), capacity: z.number().int(), booked: z.number().int(), remaining: z.number().int() })),
    })),
  }),
);
export const vinDecodeResource = openApiRegistry.register(
  'VinDecode',
  z.object({
    vin: z.string(), wmi: z.string(), vds: z.string(), vis: z.string(), checkDigit: z.string(), computedCheckDigit: z.string(),
    checkDigitValid: z.boolean(), manufacturer: z.string().nullable(), country: z.string().nullable(), region: z.string().nullable(),
    modelYearCode: z.string(), modelYearCandidates: z.array(z.number().int()), modelYear: z.number().int().nullable(), serialNumber: z.string(),
  }),
);
export const attachmentResource = openApiRegistry.register(
  'Attachment',
  z.object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number().int(), createdAt: timestamp }),
);
