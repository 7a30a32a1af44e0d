import { performance } from 'node:perf_hooks';

import { signInternalToken } from '@pitlane/core';
import { randomId, waitFor, TEST_INTERNAL_SECRET } from '@pitlane/testing';

/** Calls the services directly (no gateway) as one garage, with the internal token the gateway would send. */
export interface GarageTenant {
  garageId: string;
  organisationId: string;
  timezone: string;
  currency: string;
}

export interface Reply<T = Record<string, unknown>> {
  /** 0 when the request itself failed (the service was unreachable or reset) */
  status: number;
  data?: T;
}

export function garageCaller(garage: GarageTenant) {
  const headers = (): Record<string, string> => ({
    'x-pitlane-internal-token': signInternalToken(
      { organisationId: garage.organisationId, keyId: 'key_test', permission: 'read_write', garageId: garage.garageId, garage: { name: 'Durability', timezone: garage.timezone, currency: garage.currency }, requestId: `req_${randomId()}` },
      TEST_INTERNAL_SECRET,
    ),
    'content-type': 'application/json',
  });
  async function call<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown): Promise<Reply<T>> {
    try {
      const response = await fetch(`${base}/api/v1/garages/${garage.garageId}${path}`, { method, headers: headers(), ...(body ? { body: JSON.stringify(body) } : {}) });
      const parsed = (await response.json().catch(() => ({}))) as { data?: T };
      return { status: response.status, data: parsed.data };
    } catch {
      return { status: 0 };
    }
  }
  /** every page of a list endpoint (`path` may carry a query) */
  async function listAll<T>(base: string, path: string): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const response = await fetch(`${base}/api/v1/garages/${garage.garageId}${path}${path.includes('?') ? '&' : '?'}limit=100&page=${page}`, { headers: headers() });
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
      const { data } = (await response.json()) as { data: T[] };
      all.push(...data);
      if (data.length < 100) return all;
    }
  }
  return { call, listAll };
}

export type GarageCaller = ReturnType<typeof garageCaller>;

/** What a journey was told succeeded, with when (performance.now()) the service acknowledged it. */
export interface JourneyLog {
  bookings: Map<string, number>;
  /** part line id -> booking id */
  parts: Map<string, string>;
  completed: Map<string, number>;
  /** invoice id -> booking id */
  invoices: Map<string, string>;
  paid: Map<string, number>;
}

export const newJourneyLog = (): JourneyLog => ({ bookings: new Map(), parts: new Map(), completed: new Map(), invoices: new Map(), paid: new Map() });

export interface JourneySetup {
  urls: { bookings: string; billing: string };
  customerId: string;
  serviceId: string;
  itemId: string;
  date: string;
}

/**
 * One booking's life as a garage runs it: a car (a vehicle has one active booking at a time) booked, a part added and reserved by inventory, worked and
 * completed, invoiced by billing from booking.completed, paid. Any step not acknowledged (the database
 * is down, a reply was lost) ends the journey there: what happened to it is for the checks to find out
 * from the services, nothing about it was promised. Resolves true once the invoice is paid.
 */
export async function runJourney(caller: GarageCaller, setup: JourneySetup, log: JourneyLog): Promise<boolean> {
  const { bookings, billing } = setup.urls;
  const vehicle = await caller.call<{ id: string }>(bookings, 'POST', '/vehicles', { customerId: setup.customerId, make: 'Honda', model: 'Accord', vehicleType: 'car', year: 2003 });
  if (vehicle.status !== 201 || !vehicle.data) return false;
  const booked = await caller.call<{ id: string }>(bookings, 'POST', '/bookings', { customerId: setup.customerId, vehicleId: vehicle.data.id, date: setup.date, serviceIds: [setup.serviceId] });
  if (booked.status !== 201 || !booked.data) return false;
  const bookingId = booked.data.id;
  log.bookings.set(bookingId, performance.now());

  const part = await caller.call<{ id: string }>(bookings, 'POST', `/bookings/${bookingId}/parts`, { itemId: setup.itemId, quantity: 1 });
  if (part.status !== 201 || !part.data) return false;
  log.parts.set(part.data.id, bookingId);
  const reserved = await waitFor(async () => {
    const parts = await caller.call<Array<{ id: string; status: string }>>(bookings, 'GET', `/bookings/${bookingId}/parts`);
    return parts.data?.find((p) => p.id === part.data?.id)?.status === 'reserved';
  }, { timeoutMs: 20_000 }).catch(() => false);
  if (!reserved) return false;

  for (const status of ['confirmed', 'checked_in', 'in_progress', 'completed']) {
    if ((await caller.call(bookings, 'POST', `/bookings/${bookingId}/status`, { status })).status !== 200) return false;
  }
  log.completed.set(bookingId, performance.now());

  const invoice = await waitFor(async () => (await caller.call<Array<{ id: string; total: number }>>(billing, 'GET', `/invoices?bookingId=${bookingId}`)).data?.[0], { timeoutMs: 20_000 }).catch(() => undefined);
  if (!invoice) return false;
  log.invoices.set(invoice.id, bookingId);
  const payment = await caller.call(billing, 'POST', `/invoices/${invoice.id}/payments`, { amount: invoice.total, method: 'card', reference: `dur-${bookingId}` });
  if (payment.status !== 201) return false;
  log.paid.set(invoice.id, performance.now());
  return true;
}
