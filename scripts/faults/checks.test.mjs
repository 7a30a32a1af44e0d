// The fault suite's checks on hand-made garage states: each one passes on a consistent state and
// reports the planted problem (a check that cannot fail would make the suite's "ok" worthless).
// Run by `npm run test:faults` before the suite itself (`node --test scripts/faults/`).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { invoices, ledger, reservations, serverErrorsOutsideWindows, storedOnce, webhooksDelivered } from './checks.mjs';

const part = (id, quantity) => ({ id, itemId: 'itm_1', quantity, status: 'reserved' });
function consistent() {
  return {
    customers: [{ id: 'cus_1', email: 'w0n1@faults.test' }, { id: 'cus_2', email: 'w0n2@faults.test' }],
    vehicles: [{ id: 'veh_1', model: 'w0n1' }, { id: 'veh_2', model: 'w0n2' }],
    bookings: [
      { id: 'bkg_1', notes: 'w0n1', status: 'completed', parts: [part('l1', 2)], statusHistory: [{ to: 'completed' }] },
      { id: 'bkg_2', notes: 'w0n2', status: 'pending', parts: [part('l2', 3)], statusHistory: [] },
    ],
    invoices: [{ id: 'inv_1', bookingId: 'bkg_1', number: 'INV-2026-000001' }],
    movements: [
      { id: 'mov_0', reason: 'opening_balance', quantity: 100, reservedQuantity: 0, note: null },
      { id: 'mov_1', reason: 'reserved', quantity: 0, reservedQuantity: 2, note: null },
      { id: 'mov_2', reason: 'reserved', quantity: 0, reservedQuantity: 3, note: null },
      { id: 'mov_3', reason: 'consumed', quantity: -2, reservedQuantity: -2, note: null },
      { id: 'mov_4', reason: 'received', quantity: 3, reservedQuantity: 0, note: 'w0n1' },
    ],
    item: { id: 'itm_1', quantityOnHand: 101, quantityReserved: 3 },
  };
}
const steps = (extra) => ({ customer: 'acked', vehicle: 'acked', booking: 'acked', part: 'acked', ...extra });
const journal = [
  { tag: 'w0n1', bookingId: 'bkg_1', steps: steps({ adjust: 'acked', confirmed: 'acked', checked_in: 'acked', in_progress: 'acked', completed: 'acked' }) },
  { tag: 'w0n2', bookingId: 'bkg_2', steps: steps({}) },
];
const receipt = (id, type, data) => ({ id, type, data, valid: true, at: 0 });
const allReceipts = [
  receipt('e1', 'customer.created', { customer: { id: 'cus_1' } }),
  receipt('e2', 'customer.created', { customer: { id: 'cus_2' } }),
  receipt('e3', 'vehicle.created', { vehicle: { id: 'veh_1' } }),
  receipt('e4', 'vehicle.created', { vehicle: { id: 'veh_2' } }),
  receipt('e5', 'booking.created', { booking: { bookingId: 'bkg_1' } }),
  receipt('e6', 'booking.created', { booking: { bookingId: 'bkg_2' } }),
  receipt('e7', 'booking.completed', { booking: { bookingId: 'bkg_1' } }),
  receipt('e10', 'booking.status_changed', { booking: { bookingId: 'bkg_1' }, to: 'completed' }),
  receipt('e11', 'booking.parts_assigned', { lineId: 'l1' }),
  receipt('e12', 'booking.parts_assigned', { lineId: 'l2' }),
  receipt('e13', 'inventory.reserved', { lineId: 'l1' }),
  receipt('e14', 'inventory.reserved', { lineId: 'l2' }),
  receipt('e8', 'invoice.created', { invoice: { invoiceId: 'inv_1' } }),
  receipt('e9', 'inventory.adjusted', { movement: { id: 'mov_4' } }),
];

test('a consistent garage passes every check', () => {
  const state = consistent();
  assert.deepEqual(storedOnce(state, journal), []);
  assert.deepEqual(webhooksDelivered(state, allReceipts).violations, []);
  assert.deepEqual(ledger(state), []);
  assert.deepEqual(reservations(state), []);
  assert.deepEqual(invoices(state), []);
});

test('stored once: an acknowledged write missing, a write stored twice, a status that was never sent', () => {
  const state = consistent();
  state.customers.pop();
  state.vehicles.push({ id: 'veh_3', model: 'w0n1' });
  state.bookings[1].status = 'completed';
  assert.equal(storedOnce(state, journal).length, 3);
});

test('webhooks: an event never delivered, a bad signature; extra copies are counted', () => {
  const receipts = [...allReceipts.slice(1), { ...allReceipts[2] }, { ...allReceipts[3], valid: false }];
  const result = webhooksDelivered(consistent(), receipts);
  assert.equal(result.violations.length, 2);
  assert.equal(result.extraCopies.length, 2);
});

test('ledger: the item\'s quantities are not the sums of its movements', () => {
  const state = consistent();
  state.item.quantityOnHand = 102;
  state.item.quantityReserved = 4;
  assert.equal(ledger(state).length, 2);
});

test('reservations: a completed booking\'s part still reserved and never consumed (issue 13, item 1)', () => {
  const state = consistent();
  state.movements.splice(3, 1); // no consumption: the ledger itself stays consistent with the item
  Object.assign(state.item, { quantityOnHand: 103, quantityReserved: 5 });
  assert.deepEqual(ledger(state), []);
  assert.equal(reservations(state).length, 2);
});

test('invoices: a second invoice for a booking, one for an open booking, a gap in numbering', () => {
  const state = consistent();
  state.invoices.push({ id: 'inv_2', bookingId: 'bkg_1', number: 'INV-2026-000003' }, { id: 'inv_3', bookingId: 'bkg_2', number: 'INV-2026-000004' });
  assert.equal(invoices(state).length, 3);
});

test('5xx: inside a window (+ grace) is allowed, outside is not; no answer counts as a server error', () => {
  const log = [
    { phase: 'p', t0: 100, t1: 120, status: 503 },
    { phase: 'p', t0: 1_040, t1: 1_050, status: 0 },
    { phase: 'p', t0: 5_000, t1: 5_010, status: 500 },
    { phase: 'p', t0: 6_000, t1: 6_010, status: 201 },
  ];
  const result = serverErrorsOutsideWindows(log, [{ start: 90, end: 1_000 }], 100);
  assert.equal(result.inside.length, 2);
  assert.deepEqual(result.outside.map((e) => e.t0), [5_000]);
});
