import { vehicleType } from '@pitlane/contracts';
import { isRealDate, openApiRegistry, TIME } from '@pitlane/core';
import { z } from 'zod';

import { isCountryCode } from '../../domain/address';
import { parseTimeOfDay } from '../../domain/time-of-day';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
export const localDate = z.string().refine(isRealDate, 'must be a real date as YYYY-MM-DD');
export const time = z.string().regex(TIME, 'must be a time as HH:MM');
const id = z.string().min(1).max(64);
/** A booking's timeslot: `HH:MM`, `H:MM` or 12-hour (`9am`, `9:30 pm`), normalised to `HH:MM`. Not a
 * time at all → VALIDATION_FAILED here; a time that is not one of the garage's slots → INVALID_TIMESLOT
 * from the schedule check. */
export const timeslot = z
  .string()
  .max(20)
  .transform((text, ctx) => {
    const parsed = parseTimeOfDay(text);
    if (parsed === null) ctx.addIssue({ code: 'custom', message: 'must be a time: HH:MM (24-hour) or 9am, 9:30 pm' });
    return parsed ?? text;
  });

/** One address type for customers (the garage's address in the gateway has the same fields). The
 * old plain string is still accepted, as line1. */
export const addressBody = openApiRegistry.register(
  'Address',
  z.strictObject({
    line1: text(200),
    line2: optionalText(200),
    city: optionalText(100),
    region: optionalText(100),
    postcode: optionalText(20),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code (GB, AE, PT, …)')
      .nullable()
      .optional(),
  }),
);
// the one-line form is the structured line1, so it has line1's limit (a longer one was stored and then
// answered against the Address schema: found by the fuzzer)
const address = z.union([text(200).transform((line1) => ({ line1 })), addressBody]).nullable().optional();

export const customerBody = openApiRegistry.register(
  'CustomerCreate',
  z.strictObject({
    firstName: text(100),
    lastName: text(100),
    email: z.email('must be an email address').max(200).nullable().optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()./-]{3,30}$/, 'must be a phone number').nullable().optional(),
    address,
    notes: optionalText(2000),
  }),
);
export const customerPatch = customerBody.partial().refine((b) => Object.keys(b).length > 0, 'must change at least one field');

const vehicleFields = {
  vin: z.string().trim().toUpperCase().nullable().optional(),
  registration: optionalText(20),
  make: text(60),
  model: text(60),
  year: z.number().int().min(1886).max(new Date().getUTCFullYear() + 2).nullable().optional(),
  vehicleType,
  color: optionalText(40),
  mileage: z.number().int().min(0).max(10_000_000).nullable().optional(),
};
export const vehicleBody = openApiRegistry.register('VehicleCreate', z.strictObject({ customerId: id, ...vehicleFields }));
export const customerVehicleBody = z.strictObject(vehicleFields);
export const vehiclePatch = z
  .strictObject(vehicleFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');

const hours = z
  .strictObject({ open: time, close: time })
  .refine((h) => h.open < h.close, { message: 'close must be after open', path: ['close'] })
  .nullable();
export const scheduleBody = openApiRegistry.register(
  'Schedule',
  z.strictObject({
    openingHours: z.strictObject({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours }),
    closedDates: z.array(localDate).max(1000).default([]),
    dailyCapacity: z.number().int().min(0).max(10_000),
    slotMinutes: z.number().int().min(5).max(24 * 60),
    slotCapacity: z.number().int().min(0).max(10_000),
    timeslotRequired: z.boolean(),
  }),
);

export const settingsBody = openApiRegistry.register(
  'GarageSettings',
  z.strictObject({ defaultPartsTaxRate: z.number().int('basis points').min(0).max(10_000) }),
);

export const bookingBody = openApiRegistry.register(
  'BookingCreate',
  z.strictObject({
    customerId: id,
    vehicleId: id,
    date: localDate,
    timeslot: timeslot.nullable().optional(),
    serviceIds: z.array(id).max(50).optional(),
    technicianId: id.nullable().optional(),
    /** the whole team; the lead (technicianId, else the first) is kept in technicianId */
    technicianIds: z.array(id).max(20).optional(),
    bayId: id.nullable().optional(),
    notes: optionalText(2000),
  }),
);
export const bookingPatch = z
  .strictObject({
    date: localDate.optional(),
    timeslot: timeslot.nullable().optional(),
    serviceIds: z.array(id).max(50).optional(),
    technicianId: id.nullable().optional(),
    technicianIds: z.array(id).max(20).optional(),
    bayId: id.nullable().optional(),
    notes: optionalText(2000),
  })
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const statusBody = openApiRegistry.register(
  'BookingStatusChange',
  z
    .strictObject({
  status: z.enum(['pending', 'confirmed', 'checked_in', 'in_progress', 'waiting_parts', 'completed', 'cancelled', 'no_show']),
  reason: z.string().trim().max(500).nullable().optional(),
  /** odometer reading, at checked_in and completed only */
  mileage: z.number().int().min(0).max(10_000_000).optional(),
  /** allows a reading below the vehicle's last one (a wrong earlier reading, a replaced odometer) */
  mileageCorrection: z.boolean().optional(),
    })
    .refine((b) => b.mileageCorrection === undefined || b.mileage !== undefined, { message: 'needs a mileage to correct', path: ['mileageCorrection'] }),
);
export const technicianAssignBody = z.strictObject({ technicianId: id });
export const partBody = z.strictObject({ itemId: id, quantity: z.number().int().min(1).max(100_000) });

export const serviceBody = openApiRegistry.register(
  'ServiceCreate',
  z.strictObject({
    name: text(120),
    code: z.string().trim().max(40).nullable().optional(),
    durationMinutes: z.number().int().min(1).max(24 * 60),
    prices: z
      .array(z.strictObject({ vehicleType, price: z.number().int('must be an integer in minor units').min(0) }))
      .min(1)
      .refine((p) => new Set(p.map((x) => x.vehicleType)).size === p.length, 'one price per vehicle type'),
    taxRate: z.number().int('basis points').min(0).max(10_000).optional(),
  }),
);
export const technicianBody = openApiRegistry.register(
  'TechnicianCreate',
  z.strictObject({ name: text(120), email: z.email().nullable().optional(), skills: z.array(text(60)).max(50).optional() }),
);
export const bayBody = z.strictObject({ name: text(60), type: optionalText(60), outOfService: z.boolean().optional() });
export const bayPatch = bayBody.partial();
export const stageBody = openApiRegistry.register(
  'StageCreate',
  z.strictObject({ name: text(120), description: optionalText(2000), technicianId: id.nullable().optional() }),
);
export const stagePatch = stageBody.partial().refine((b) => Object.keys(b).length > 0, 'must change at least one field');
export const stageStatusBody = z.strictObject({
  status: z.enum(['draft', 'open', 'in_progress', 'completed', 'invoiced', 'closed']),
});

/** Query values must be plain strings: an object or array (e.g. `q[$gt]=`) is refused, never an operator. */
export const queryString = (max = 100) => z.string().max(max).optional();
export const commaList = z
  .string()
  .max(500)
  .optional()
  .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined));
