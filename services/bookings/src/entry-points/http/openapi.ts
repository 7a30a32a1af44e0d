import { errorEnvelopeSchema, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import {
  bayBody,
  bayPatch,
  bookingBody,
  bookingPatch,
  customerBody,
  customerPatch,
  customerVehicleBody,
  partBody,
  scheduleBody,
  settingsBody,
  serviceBody,
  stageBody,
  stagePatch,
  stageStatusBody,
  statusBody,
  technicianAssignBody,
  technicianBody,
  vehicleBody,
  vehiclePatch,
} from './schemas';

/** The bookings paths in the OpenAPI document (registered once per process, on import). */
const base = '/garages/{garageId}';
const params = (...names: string[]) => z.object(Object.fromEntries(['garageId', ...names].map((n) => [n, z.string()])));
const error = (description: string) => ({ description, content: { 'application/json': { schema: errorEnvelopeSchema } } });
const responses = (description: string) => ({
  200: { description, content: { 'application/json': { schema: z.object({ success: z.literal(true), data: z.unknown() }) } } },
  400: error('Validation failed (VALIDATION_FAILED, INVALID_VIN, TIMESLOT_REQUIRED, INVALID_TIMESLOT)'),
  404: error('Not found'),
  409: error('Conflict (GARAGE_CLOSED, DATE_AT_CAPACITY, SLOT_AT_CAPACITY, ACTIVE_JOB_EXISTS, INVALID_STATUS_TRANSITION, MILEAGE_DECREASED, …)'),
});

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const paths: [Method, string, string, string[], z.ZodType?][] = [
  ['get', '/customers', 'List customers (sort, pagination)', []],
  ['get', '/customers/search', 'Search customers by name, email or phone (q)', []],
  ['post', '/customers', 'Create a customer', [], customerBody],
  ['get', '/customers/{customerId}', 'A customer with booking stats', ['customerId']],
  ['patch', '/customers/{customerId}', 'Change a customer', ['customerId'], customerPatch],
  ['get', '/customers/{customerId}/vehicles', "A customer's vehicles", ['customerId']],
  ['post', '/customers/{customerId}/vehicles', 'Add a vehicle to a customer', ['customerId'], customerVehicleBody],
  ['get', '/customers/{customerId}/bookings', "A customer's bookings", ['customerId']],
  ['get', '/vehicles', 'List vehicles (customerId, vin, registration)', []],
  ['post', '/vehicles', 'Create a vehicle', [], vehicleBody],
  ['get', '/vehicles/vin-lookup', 'Decode a VIN offline (vin)', []],
  ['get', '/vehicles/{vehicleId}', 'A vehicle', ['vehicleId']],
  ['get', '/vehicles/{vehicleId}/bookings', "A vehicle's bookings (pagination, newest date first)", ['vehicleId']],
  ['get', '/vehicles/{vehicleId}/history', 'Service history: completed jobs with services, parts, mileage and invoice, newest first', ['vehicleId']],
  ['patch', '/vehicles/{vehicleId}', 'Change a vehicle', ['vehicleId'], vehiclePatch],
  ['delete', '/vehicles/{vehicleId}', 'Delete a vehicle without an active booking', ['vehicleId']],
  ['get', '/schedule', 'Opening hours, closed dates and capacities', []],
  ['put', '/schedule', 'Replace the schedule', [], scheduleBody],
  ['get', '/settings', "The garage's booking settings (default parts tax rate)", []],
  ['put', '/settings', "Replace the garage's booking settings", [], settingsBody],
  ['get', '/availability', 'Capacity, booked and remaining per day and slot (dateFrom, dateTo)', []],
  ['get', '/bookings', 'List bookings (status, dateFrom, dateTo, customerId, vehicleId, technicianId, sort, pagination)', []],
  ['post', '/bookings', 'Create a booking (scheduling guardrails)', [], bookingBody],
  ['get', '/bookings/counts', 'Bookings per status', []],
  ['get', '/bookings/{bookingId}', 'A booking', ['bookingId']],
  ['patch', '/bookings/{bookingId}', 'Change or reschedule a booking', ['bookingId'], bookingPatch],
  ['delete', '/bookings/{bookingId}', 'Delete a pending or confirmed booking', ['bookingId']],
  ['post', '/bookings/{bookingId}/status', 'Move a booking through its status machine', ['bookingId'], statusBody],
  ['post', '/bookings/{bookingId}/technician', 'Assign a technician', ['bookingId'], technicianAssignBody],
  ['get', '/bookings/{bookingId}/inventory', 'Part lines of a booking (alias /parts)', ['bookingId']],
  ['post', '/bookings/{bookingId}/inventory', 'Add a part line (alias /parts)', ['bookingId'], partBody],
  ['get', '/bookings/{bookingId}/stages', 'Stages of a booking', ['bookingId']],
  ['post', '/bookings/{bookingId}/stages', 'Add a stage', ['bookingId'], stageBody],
  ['patch', '/bookings/{bookingId}/stages/{stageId}', 'Change a stage', ['bookingId', 'stageId'], stagePatch],
  ['delete', '/bookings/{bookingId}/stages/{stageId}', 'Delete a draft or open stage', ['bookingId', 'stageId']],
  ['post', '/bookings/{bookingId}/stages/{stageId}/status', 'Move a stage one step forward', ['bookingId', 'stageId'], stageStatusBody],
  ['get', '/bookings/{bookingId}/attachments', 'Attachments of a booking', ['bookingId']],
  ['post', '/bookings/{bookingId}/attachments', 'Upload an image or PDF (multipart field "file")', ['bookingId']],
  ['get', '/bookings/{bookingId}/attachments/{attachmentId}/content', 'Download an attachment', ['bookingId', 'attachmentId']],
  ['get', '/services', 'List services', []],
  ['post', '/services', 'Create a service with prices per vehicle type', [], serviceBody],
  ['get', '/services/{serviceId}', 'A service', ['serviceId']],
  ['get', '/services/{serviceId}/prices', 'Prices of a service per vehicle type', ['serviceId']],
  ['get', '/technicians', 'List technicians', []],
  ['post', '/technicians', 'Create a technician', [], technicianBody],
  ['get', '/technicians/{technicianId}/stats', 'Completed, in progress, average hours, revenue (dateFrom, dateTo)', ['technicianId']],
  ['get', '/technicians/{technicianId}/bookings', "A technician's bookings", ['technicianId']],
  ['get', '/bays', 'Bays with their current status', []],
  ['post', '/bays', 'Create a bay', [], bayBody],
  ['patch', '/bays/{bayId}', 'Change a bay (name, type, out of service)', ['bayId'], bayPatch],
];

for (const [method, path, summary, names, requestBody] of paths) {
  openApiRegistry.registerPath({
    method,
    path: `${base}${path}`,
    tags: ['Bookings service'],
    summary,
    request: { params: params(...names), ...(requestBody ? { body: { content: { 'application/json': { schema: requestBody } } } } : {}) },
    responses: responses(summary),
  });
}
