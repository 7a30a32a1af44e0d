import { listQuery } from '@pitlane/core';
import { bookingStatus } from '@pitlane/contracts';
import { z } from 'zod';

import { commaList, queryString } from './schemas';

/** Every list's query string in one place: the routes parse with these and openapi.ts shows them,
 * so the document names exactly the parameters a list accepts (any other is a 400). */
const count = {
  count: z.enum(['true', 'false'], { message: 'must be true or false' }).optional().openapi({ description: '`false` skips the total (the page then says only whether more follow)' }),
};
const bookingFilters = {
  status: commaList.pipe(z.array(bookingStatus).optional()).openapi({ type: 'string', description: 'comma-separated statuses' }),
  customerId: queryString(64),
  vehicleId: queryString(64),
  technicianId: queryString(64),
  bayId: queryString(64),
};
const bookingSort = ['date', 'createdAt', 'updatedAt', 'number', 'status', 'timeslot'];
const nestedBookingSort = { sortable: ['date', 'createdAt', 'updatedAt', 'number'], dates: 'own' as const, filters: count };
/** the seed's `sort=name` is the customer's name: last name, then first */
const customerSort = { sortable: ['createdAt', 'updatedAt', 'lastName', 'firstName'], sortAliases: { name: 'lastName,firstName' }, defaultSort: '-createdAt' };
/** the partner lists that also walk by `?cursor=` in their default order, newest first (libs/core cursor.ts) */
const cursor = true;

export const lists = {
  customers: listQuery({ ...customerSort, cursor, filters: count }),
  customerSearch: listQuery({ ...customerSort, cursor, filters: { ...count, q: z.string({ message: 'is required' }).trim().min(1, 'must not be empty').max(100) } }),
  customerVehicles: listQuery({ sortable: ['createdAt', 'updatedAt', 'make', 'year'], defaultSort: '-createdAt' }),
  customerBookings: listQuery({ ...nestedBookingSort, defaultSort: '-date' }),
  vehicles: listQuery({
    sortable: ['createdAt', 'make', 'model', 'year', 'updatedAt'],
    defaultSort: '-createdAt',
    cursor,
    filters: { ...count, customerId: queryString(64), vin: queryString(17), registration: queryString(20) },
  }),
  vehicleBookings: listQuery({ ...nestedBookingSort, defaultSort: '-date' }),
  vehicleHistory: listQuery({ sortable: ['completedAt'], defaultSort: '-completedAt', timestamps: false }),
  bookings: listQuery({ sortable: bookingSort, defaultSort: '-createdAt', dates: 'own', cursor, filters: { ...bookingFilters, ...count } }),
  bookingCounts: listQuery({ sortable: bookingSort, defaultSort: 'date', dates: 'own', filters: bookingFilters }),
  /** a booking's part lines, stages and attachments, and a service's prices: short lists read whole */
  nested: listQuery({ sortable: [], defaultSort: '', timestamps: false }),
  services: listQuery({ sortable: ['name', 'createdAt', 'updatedAt', 'code'], defaultSort: 'name' }),
  technicians: listQuery({ sortable: ['name', 'createdAt', 'updatedAt'], defaultSort: 'name' }),
  technicianStats: listQuery({ sortable: [], defaultSort: '', timestamps: false, dates: 'own' }),
  technicianBookings: listQuery({ ...nestedBookingSort, defaultSort: 'date' }),
  bays: listQuery({ sortable: ['name', 'createdAt', 'updatedAt'], defaultSort: 'name' }),
};
