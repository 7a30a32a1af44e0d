// The invariants, per garage (= per phase of the run), read back through the public API. Each check
// returns a list of violations (strings with the evidence); an empty list is a pass.
const ENDED = new Set(['completed', 'cancelled', 'no_show']);
const STATUS_ORDER = ['pending', 'confirmed', 'checked_in', 'in_progress', 'completed'];
const tagOfEmail = (email) => (email ?? '').split('@')[0];

async function listAll(call, garageId, path) {
  const all = [];
  for (let page = 1; ; page++) {
    const reply = await call('check', garageId, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=100&page=${page}`);
    if (!reply.ok) throw new Error(`GET ${path} in ${garageId}: ${reply.status}`);
    all.push(...reply.data);
    if (reply.data.length < 100) return all;
  }
}

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Everything the checks look at for one garage, read once. */
export async function readGarage(call, garage) {
  const { garageId, itemId } = garage;
  const [customers, vehicles, bookings, invoices, movements, item] = await Promise.all([
    listAll(call, garageId, '/customers'),
    listAll(call, garageId, '/vehicles'),
    listAll(call, garageId, '/bookings'),
    listAll(call, garageId, '/invoices'),
    listAll(call, garageId, `/inventory/${itemId}/movements`),
    call('check', garageId, 'GET', `/inventory/${itemId}`).then((reply) => reply.data),
  ]);
  return { customers, vehicles, bookings, invoices, movements, item };
}

/** Every acknowledged write is there exactly once; a write that got no 2xx is there at most once. */
export function storedOnce(state, journal) {
  const violations = [];
  const copies = {
    customer: countBy(state.customers, (c) => tagOfEmail(c.email)),
    vehicle: countBy(state.vehicles, (v) => v.model),
    booking: countBy(state.bookings, (b) => b.notes),
    adjust: countBy(state.movements.filter((m) => m.reason === 'received'), (m) => m.note),
  };
  const bookingById = new Map(state.bookings.map((b) => [b.id, b]));
  for (const record of journal) {
    for (const [kind, counts] of Object.entries(copies)) {
      const outcome = record.steps[kind];
      if (!outcome) continue;
      const n = counts.get(record.tag) ?? 0;
      if (outcome === 'acked' ? n !== 1 : n > 1) violations.push(`${kind} ${record.tag}: ${outcome}, stored ${n}×`);
    }
    const booking = record.bookingId && bookingById.get(record.bookingId);
    if (!booking) continue;
    if (record.steps.part) {
      const n = booking.parts.length;
      if (record.steps.part === 'acked' ? n !== 1 : n > 1) violations.push(`part on ${record.bookingId}: ${record.steps.part}, stored ${n}×`);
    }
    // the status is the last acknowledged one, or the one sent after it without an answer
    const sent = ['cancelled', ...STATUS_ORDER].filter((s) => record.steps[s]);
    const acked = sent.filter((s) => record.steps[s] === 'acked');
    const allowed = new Set([acked.at(-1) ?? 'pending', ...sent.filter((s) => record.steps[s] === 'sent')]);
    if (!allowed.has(booking.status)) violations.push(`booking ${record.bookingId}: status ${booking.status}, expected one of ${[...allowed].join('/')}`);
  }
  const known = new Set(journal.map((r) => r.tag));
  for (const [kind, counts] of Object.entries(copies)) {
    for (const tag of counts.keys()) if (!known.has(tag) && !/^probe/.test(tag ?? 'probe')) violations.push(`${kind} ${tag}: stored but never sent`);
  }
  return violations;
}

const entityOf = {
  'customer.created': (d) => d.customer?.id,
  'vehicle.created': (d) => d.vehicle?.id,
  'booking.created': (d) => d.booking?.bookingId,
  'booking.status_changed': (d) => `${d.booking?.bookingId}>${d.to}`,
  'booking.cancelled': (d) => d.booking?.bookingId,
  'booking.parts_assigned': (d) => d.lineId,
  'inventory.reserved': (d) => d.lineId,
  'booking.completed': (d) => d.booking?.bookingId,
  'invoice.created': (d) => d.invoice?.invoiceId,
  'inventory.adjusted': (d) => d.movement?.id,
};

/** Every event a partner must have been told about (derived from what the API shows) reached the
 * receiver, with a valid signature; extra copies of one event id are counted. */
export function webhooksDelivered(state, receipts) {
  const expected = [
    ...state.customers.map((c) => `customer.created:${c.id}`),
    ...state.vehicles.map((v) => `vehicle.created:${v.id}`),
    ...state.bookings.map((b) => `booking.created:${b.id}`),
    ...state.bookings.flatMap((b) => b.statusHistory.map((h) => `booking.status_changed:${b.id}>${h.to}`)),
    ...state.bookings.filter((b) => b.status === 'cancelled').map((b) => `booking.cancelled:${b.id}`),
    ...state.bookings.flatMap((b) => b.parts.map((p) => `booking.parts_assigned:${p.id}`)),
    // stock is ample (no backorders): inventory answers every part line with inventory.reserved
    ...state.bookings.flatMap((b) => b.parts.map((p) => `inventory.reserved:${p.id}`)),
    ...state.bookings.filter((b) => b.status === 'completed').map((b) => `booking.completed:${b.id}`),
    ...state.invoices.map((i) => `invoice.created:${i.id}`),
    ...state.movements.filter((m) => m.reason === 'received').map((m) => `inventory.adjusted:${m.id}`),
  ];
  const got = new Set(receipts.filter((r) => r.valid && entityOf[r.type]).map((r) => `${r.type}:${entityOf[r.type](r.data ?? {})}`));
  const missing = expected.filter((key) => !got.has(key));
  // every receipt of an event id after its first is an extra copy (at-least-once delivery)
  const seen = new Set();
  const extraCopies = receipts.filter((r) => seen.has(r.id) || !seen.add(r.id));
  const invalid = receipts.filter((r) => !r.valid).length;
  return {
    violations: [...missing.map((key) => `not delivered: ${key}`), ...(invalid ? [`${invalid} receipts with a bad signature`] : [])],
    expected: expected.length,
    receipts: receipts.length,
    extraCopies,
  };
}

/** The item's quantities are the sums of its ledger; reserved = parts of open bookings; consumed =
 * parts of completed bookings. */
export function ledger(state) {
  const violations = [];
  const sum = (list, f) => list.reduce((total, x) => total + f(x), 0);
  const onHand = sum(state.movements, (m) => m.quantity);
  const reserved = sum(state.movements, (m) => m.reservedQuantity);
  if (onHand !== state.item.quantityOnHand) violations.push(`ledger on-hand ${onHand} ≠ item ${state.item.quantityOnHand}`);
  if (reserved !== state.item.quantityReserved) violations.push(`ledger reserved ${reserved} ≠ item ${state.item.quantityReserved}`);
  return violations;
}

export function reservations(state) {
  const violations = [];
  const partsOf = (bookings) => bookings.flatMap((b) => b.parts.filter((p) => p.itemId === state.item.id));
  const open = partsOf(state.bookings.filter((b) => !ENDED.has(b.status)));
  const openQuantity = open.reduce((total, p) => total + p.quantity, 0);
  if (openQuantity !== state.item.quantityReserved) violations.push(`reserved ${state.item.quantityReserved} ≠ parts on open bookings ${openQuantity}`);
  const completedQuantity = partsOf(state.bookings.filter((b) => b.status === 'completed')).reduce((total, p) => total + p.quantity, 0);
  const consumed = -state.movements.filter((m) => m.reason === 'consumed').reduce((total, m) => total + m.quantity, 0);
  if (consumed !== completedQuantity) violations.push(`consumed ${consumed} ≠ parts on completed bookings ${completedQuantity}`);
  return violations;
}

/** One invoice per completed booking, none for others, numbers 1..N without gaps. */
export function invoices(state) {
  const violations = [];
  const perBooking = countBy(state.invoices, (i) => i.bookingId);
  for (const booking of state.bookings) {
    const n = perBooking.get(booking.id) ?? 0;
    const want = booking.status === 'completed' ? 1 : 0;
    if (n !== want) violations.push(`booking ${booking.id} (${booking.status}): ${n} invoices`);
  }
  const numbers = state.invoices.map((i) => Number(/(\d+)$/.exec(i.number)?.[1])).sort((a, b) => a - b);
  const gaps = numbers.filter((n, index) => n !== index + 1);
  if (gaps.length) violations.push(`numbering not 1..${numbers.length}: ${numbers.slice(0, 12).join(',')}…`);
  return violations;
}

/** Requests answered 5xx (or not at all) that do not overlap a fault window (+ grace). */
export function serverErrorsOutsideWindows(log, windows, graceMs) {
  const failed = log.filter((e) => e.phase !== 'check' && (e.status >= 500 || e.status === 0));
  const inside = (e) => windows.some((w) => e.t1 >= w.start && e.t0 <= (w.end ?? Infinity) + graceMs);
  return {
    outside: failed.filter((e) => !inside(e)),
    inside: failed.filter(inside),
  };
}
