import { errorResponses, openApiRegistry, successResponses, type Success } from '@pitlane/core';
import { z } from 'zod';

import { SIGNATURES } from './attachments.routes';
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
import {
  attachmentResource,
  availabilityResource,
  bayResource,
  bookingCountsResource,
  bookingDetailResource,
  bookingResource,
  clockResource,
  customerResource,
  customerWithStats,
  historyEntryResource,
  partLineResource,
  scheduleResource,
  serviceResource,
  servicePriceResource,
  settingsResource,
  stageResource,
  technicianResource,
  technicianStatsResource,
  vehicleResource,
  vinDecodeResource,
} from './response-schemas';
import { lists } from './list-queries';

/** The bookings paths in the OpenAPI document (registered once per process, on import). */
const base = '/garages/{garageId}';
const params = (...names: string[]) => z.object(Object.fromEntries(['garageId', ...names].map((n) => [n, z.string()])));
const one = (data: z.ZodType, status: 200 | 201 = 200): Success => ({ data, status });
const page = (data: z.ZodType): Success => ({ data, list: true });
/** a list that takes `?count=false` (libs/core http/list-page.ts): then its pagination has no total */
const uncountedPage = (data: z.ZodType): Success => ({ data, list: true, countOptional: true });
/** a list that also walks by `?cursor=` (list-queries.ts `cursor`): then its pagination is `{limit, nextCursor}` */
const cursorPage = (data: z.ZodType): Success => ({ data, list: true, countOptional: true, cursor: true });
const gone: Success = { status: 204 };
const validation = ['VALIDATION_FAILED', 'INVALID_JSON'];
const notFound = ['RESOURCE_NOT_FOUND'];
const scheduling = ['GARAGE_CLOSED', 'DATE_AT_CAPACITY', 'SLOT_AT_CAPACITY', 'ACTIVE_JOB_EXISTS'];

/** A multipart upload: one part named "file" (image or PDF). */
const upload = z.object({ file: z.string().openapi({ format: 'binary' }) });
const bodyOf = (schema: z.ZodType | undefined) =>
  !schema ? {} : { body: { content: { [schema === upload ? 'multipart/form-data' : 'application/json']: { schema } } } };

/** the query each read takes: the lists' own strict schemas (list-queries.ts), so the document
 * names exactly what the routes accept */
const queries: Record<string, z.ZodObject> = {
  '/customers': lists.customers.schema,
  '/customers/search': lists.customerSearch.schema,
  '/customers/{customerId}/vehicles': lists.customerVehicles.schema,
  '/customers/{customerId}/bookings': lists.customerBookings.schema,
  '/vehicles': lists.vehicles.schema,
  '/vehicles/vin-lookup': z.object({ vin: z.string() }),
  '/vehicles/{vehicleId}/bookings': lists.vehicleBookings.schema,
  '/vehicles/{vehicleId}/history': lists.vehicleHistory.schema,
  '/availability': z.object({ dateFrom: z.string().openapi({ format: 'date' }), dateTo: z.string().openapi({ format: 'date' }) }),
  '/bookings': lists.bookings.schema,
  '/bookings/counts': lists.bookingCounts.schema,
  '/bookings/{bookingId}/inventory': lists.nested.schema,
  '/bookings/{bookingId}/parts': lists.nested.schema,
  '/bookings/{bookingId}/stages': lists.nested.schema,
  '/bookings/{bookingId}/attachments': lists.nested.schema,
  '/services': lists.services.schema,
  '/services/{serviceId}/prices': lists.nested.schema,
  '/technicians': lists.technicians.schema,
  '/technicians/{technicianId}/stats': lists.technicianStats.schema,
  '/technicians/{technicianId}/bookings': lists.technicianBookings.schema,
  '/bays': lists.bays.schema,
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const paths: [Method, string, string, string[], z.ZodType | undefined, Success][] = [
  ['get', '/customers', 'List customers (sort, pagination, cursor)', [], undefined, cursorPage(customerResource)],
  ['get', '/customers/search', 'Search customers by name, email or phone (q; pagination, cursor)', [], undefined, cursorPage(customerResource)],
  ['post', '/customers', 'Create a customer', [], customerBody, one(customerResource, 201)],
  ['get', '/customers/{customerId}', 'A customer with booking stats', ['customerId'], undefined, one(customerWithStats)],
  ['patch', '/customers/{customerId}', 'Change a customer', ['customerId'], customerPatch, one(customerResource)],
  ['get', '/customers/{customerId}/vehicles', "A customer's vehicles", ['customerId'], undefined, page(vehicleResource)],
  ['post', '/customers/{customerId}/vehicles', 'Add a vehicle to a customer', ['customerId'], customerVehicleBody, one(vehicleResource, 201)],
  ['get', '/customers/{customerId}/bookings', "A customer's bookings", ['customerId'], undefined, uncountedPage(bookingResource)],
  ['get', '/vehicles', 'List vehicles (customerId, vin, registration; pagination, cursor)', [], undefined, cursorPage(vehicleResource)],
  ['post', '/vehicles', 'Create a vehicle', [], vehicleBody, one(vehicleResource, 201)],
  ['get', '/vehicles/vin-lookup', 'Decode a VIN offline (vin)', [], undefined, one(vinDecodeResource)],
  ['get', '/vehicles/{vehicleId}', 'A vehicle', ['vehicleId'], undefined, one(vehicleResource)],
  ['get', '/vehicles/{vehicleId}/bookings', "A vehicle's bookings (pagination, newest date first)", ['vehicleId'], undefined, uncountedPage(bookingResource)],
  ['get', '/vehicles/{vehicleId}/history', 'Service history: completed jobs with services, parts, mileage and invoice, newest first', ['vehicleId'], undefined, page(historyEntryResource)],
  ['patch', '/vehicles/{vehicleId}', 'Change a vehicle', ['vehicleId'], vehiclePatch, one(vehicleResource)],
  ['delete', '/vehicles/{vehicleId}', 'Delete a vehicle without an active booking', ['vehicleId'], undefined, gone],
  ['get', '/schedule', 'Opening hours, closed dates and capacities', [], undefined, one(scheduleResource)],
  ['put', '/schedule', 'Replace the schedule', [], scheduleBody, one(scheduleResource)],
  ['get', '/settings', "The garage's booking settings (default parts tax rate)", [], undefined, one(settingsResource)],
  ['put', '/settings', "Replace the garage's booking settings", [], settingsBody, one(settingsResource)],
  ['get', '/clock', "The garage's clock: now, today's date and weekday in its time zone (no database read)", [], undefined, one(clockResource)],
  ['get', '/availability', 'Capacity, booked and remaining per day and slot (dateFrom, dateTo)', [], undefined, one(availabilityResource)],
  ['get', '/bookings', 'List bookings (status, dateFrom, dateTo, customerId, vehicleId, technicianId, sort, pagination, cursor)', [], undefined, cursorPage(bookingResource)],
  ['post', '/bookings', 'Create a booking (scheduling guardrails)', [], bookingBody, one(bookingResource, 201)],
  ['get', '/bookings/counts', 'Bookings per status', [], undefined, one(bookingCountsResource)],
  ['get', '/bookings/{bookingId}', 'A booking with its customer and vehicle', ['bookingId'], undefined, one(bookingDetailResource)],
  ['patch', '/bookings/{bookingId}', 'Change or reschedule a booking', ['bookingId'], bookingPatch, one(bookingResource)],
  ['delete', '/bookings/{bookingId}', 'Delete a pending or confirmed booking', ['bookingId'], undefined, gone],
  ['post', '/bookings/{bookingId}/status', 'Move a booking through its status machine', ['bookingId'], statusBody, one(bookingResource)],
  ['post', '/bookings/{bookingId}/technician', 'Assign a technician', ['bookingId'], technicianAssignBody, one(bookingResource)],
  ['get', '/bookings/{bookingId}/inventory', 'Part lines of a booking (alias /parts)', ['bookingId'], undefined, page(partLineResource)],
  ['post', '/bookings/{bookingId}/inventory', 'Add a part line (alias /parts)', ['bookingId'], partBody, one(partLineResource, 201)],
  ['get', '/bookings/{bookingId}/parts', 'Part lines of a booking (alias of /inventory)', ['bookingId'], undefined, page(partLineResource)],
  ['post', '/bookings/{bookingId}/parts', 'Add a part line (alias of /inventory)', ['bookingId'], partBody, one(partLineResource, 201)],
  ['get', '/bookings/{bookingId}/stages', 'Stages of a booking', ['bookingId'], undefined, page(stageResource)],
  ['post', '/bookings/{bookingId}/stages', 'Add a stage', ['bookingId'], stageBody, one(stageResource, 201)],
  ['patch', '/bookings/{bookingId}/stages/{stageId}', 'Change a stage', ['bookingId', 'stageId'], stagePatch, one(stageResource)],
  ['delete', '/bookings/{bookingId}/stages/{stageId}', 'Delete a draft or open stage', ['bookingId', 'stageId'], undefined, gone],
  ['post', '/bookings/{bookingId}/stages/{stageId}/status', 'Move a stage one step forward', ['bookingId', 'stageId'], stageStatusBody, one(stageResource)],
  ['get', '/bookings/{bookingId}/attachments', 'Attachments of a booking', ['bookingId'], undefined, page(attachmentResource)],
  ['post', '/bookings/{bookingId}/attachments', 'Upload an image or PDF (multipart field "file")', ['bookingId'], undefined, one(attachmentResource, 201)],
  ['get', '/bookings/{bookingId}/attachments/{attachmentId}/content', 'Download an attachment', ['bookingId', 'attachmentId'], undefined, { mediaType: Object.keys(SIGNATURES) }],
  ['get', '/services', 'List services', [], undefined, page(serviceResource)],
  ['post', '/services', 'Create a service with prices per vehicle type', [], serviceBody, one(serviceResource, 201)],
  ['get', '/services/{serviceId}', 'A service', ['serviceId'], undefined, one(serviceResource)],
  ['get', '/services/{serviceId}/prices', 'Prices of a service per vehicle type', ['serviceId'], undefined, page(servicePriceResource)],
  ['get', '/technicians', 'List technicians', [], undefined, page(technicianResource)],
  ['post', '/technicians', 'Create a technician', [], technicianBody, one(technicianResource, 201)],
  ['get', '/technicians/{technicianId}', 'A technician', ['technicianId'], undefined, one(technicianResource)],
  ['get', '/technicians/{technicianId}/stats', 'Completed, in progress, average hours, revenue (dateFrom, dateTo)', ['technicianId'], undefined, one(technicianStatsResource)],
  ['get', '/technicians/{technicianId}/bookings', "A technician's bookings", ['technicianId'], undefined, uncountedPage(bookingResource)],
  ['get', '/bays', 'Bays with their current status', [], undefined, page(bayResource)],
  ['post', '/bays', 'Create a bay', [], bayBody, one(bayResource, 201)],
  ['patch', '/bays/{bayId}', 'Change a bay (name, type, out of service)', ['bayId'], bayPatch, one(bayResource)],
];

for (const [method, path, summary, names, requestBody, success] of paths) {
  openApiRegistry.registerPath({
    method,
    path: `${base}${path}`,
    tags: ['Bookings service'],
    summary,
    request: { params: params(...names), ...(method === 'get' && queries[path] ? { query: queries[path] } : {}), ...bodyOf(requestBody ?? (path.endsWith('/attachments') && method === 'post' ? upload : undefined)) },
    responses: { ...successResponses(summary, success), ...errorsOf(method, path) },
  });
}

/** The error statuses an operation can answer with, and their codes (API.md's table). */
function errorsOf(method: Method, path: string) {
  const write = method !== 'get';
  const booking = path === '/bookings' || path === '/bookings/{bookingId}';
  return errorResponses({
    400: [
      ...validation,
      ...(path === '/vehicles/vin-lookup' || (path.includes('vehicles') && write) ? ['INVALID_VIN'] : []),
      ...(booking && write ? ['TIMESLOT_REQUIRED', 'INVALID_TIMESLOT'] : []),
    ],
    404: path.includes('{') || write ? notFound : [],
    409: write
      ? [
          ...(booking && method !== 'delete' ? scheduling : []),
          ...(path.endsWith('/status') || method === 'delete' ? ['INVALID_STATUS_TRANSITION'] : []),
          ...(path === '/bookings/{bookingId}/status' ? ['MILEAGE_DECREASED'] : []),
          ...(path.startsWith('/vehicles/') && method === 'delete' ? ['ACTIVE_JOB_EXISTS'] : []),
          // a write that lost the race for the booking's version (its status, parts, stages, fields): retry
          ...(path.startsWith('/bookings/{bookingId}') ? ['BOOKING_CHANGED'] : []),
          ...((path === '/bookings/{bookingId}' && method === 'patch') || path === '/bookings/{bookingId}/parts' ? ['BOOKING_NOT_EDITABLE'] : []),
          ...(path === '/bookings/{bookingId}' && method === 'delete' ? ['BOOKING_NOT_DELETABLE'] : []),
          ...(path === '/bookings/{bookingId}/status' ? ['BOOKING_INCOMPLETE'] : []),
          ...(path === '/bookings/{bookingId}/stages/{stageId}' && method === 'delete' ? ['STAGE_NOT_DELETABLE'] : []),
          'DUPLICATE_RESOURCE',
        ]
      : [],
    ...(path.endsWith('/attachments') && write ? { 413: ['PAYLOAD_TOO_LARGE'] } : {}),
  });
}
