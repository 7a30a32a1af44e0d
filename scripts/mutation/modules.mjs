/** The modules that guard money, numbering, capacity, stock, events and keys (issue 18), each with
 * the only test files that exercise it: Stryker runs a mutant against those, not the whole suite.
 * `infra: true` tests need MONGO_URL / REDIS_URL / AMQP_URL (libs/testing's global setup checks them);
 * `ci: true` modules are the ones `npm run test:mutation:ci` runs inside the suite's time budget: the
 * unit-test-backed ones (about 9 minutes on the shared 2-core machine). The integration-backed ones
 * (numbering, capacity, outbox, dedupe, rate-limit) take 3–10 minutes EACH there (every mutant talks to
 * the servers, and a mutant that hangs costs a full timeout), so they run on demand:
 * `npm run test:mutation -- numbering capacity outbox dedupe rate-limit`. */
export const modules = {
  money: {
    mutate: 'services/billing/src/domain/money.ts',
    tests: ['services/billing/test/unit/*.test.ts'],
    ci: true,
  },
  numbering: {
    mutate: 'services/billing/src/data-access/numbering.ts',
    tests: ['services/billing/test/numbering-sequence.test.ts', 'services/billing/test/numbering.test.ts'],
    infra: true,
    ci: false,
  },
  capacity: {
    mutate: 'services/bookings/src/data-access/capacity.repository.ts',
    tests: ['services/bookings/test/capacity-guards.test.ts', 'services/bookings/test/capacity-claims-edges.test.ts'],
    infra: true,
    ci: false,
  },
  schedule: {
    mutate: 'services/bookings/src/domain/schedule.ts',
    tests: ['services/bookings/test/unit/*.test.ts'],
    ci: true,
  },
  'booking-status': {
    mutate: 'services/bookings/src/domain/booking-status.ts',
    tests: ['services/bookings/test/unit/*.test.ts'],
    ci: true,
  },
  vin: {
    mutate: 'services/bookings/src/domain/vin.ts',
    tests: ['services/bookings/test/unit/*.test.ts'],
    ci: true,
  },
  stock: {
    mutate: 'services/inventory/src/domain/stock.ts',
    tests: ['services/inventory/test/unit/*.test.ts'],
    ci: true,
  },
  'weighted-average': {
    mutate: 'services/inventory/src/domain/weighted-average.ts',
    tests: ['services/inventory/test/unit/*.test.ts'],
    ci: true,
  },
  barcode: {
    mutate: 'services/inventory/src/domain/barcode.ts',
    tests: ['services/inventory/test/unit/*.test.ts'],
    ci: true,
  },
  'outbox-rules': {
    // the relay's lease rules and hand-off queue, pure: unit tests only, seconds per run
    mutate: 'libs/events/src/outbox-lease.ts',
    tests: ['libs/events/test/unit/outbox-lease.test.ts'],
    ci: true,
  },
  outbox: {
    // the relay and the write hand-off against the stand-in; a mutant that stalls the relay's loop
    // times out, so a short timeout (still a run of about an hour at concurrency 2 on the shared machine)
    mutate: 'libs/events/src/outbox{,-handoff}.ts',
    timeoutMS: 3000,
    tests: [
      'libs/events/test/unit/outbox-lease.test.ts',
      'libs/events/test/outbox-leases.test.ts',
      'libs/events/test/outbox-handoff.test.ts',
      'libs/events/test/outbox-handoff-edges.test.ts',
      'libs/events/test/outbox-relay-edges.test.ts',
      'libs/events/test/outbox-relay-recovery.test.ts',
      'libs/events/test/outbox-relay-cost.test.ts',
    ],
    infra: true,
    ci: false,
  },
  dedupe: {
    mutate: 'libs/events/src/dedupe.ts',
    tests: ['libs/events/test/dedupe-window.test.ts'],
    infra: true,
    ci: false,
  },
  'api-key': {
    mutate: 'services/gateway/src/domain/api-key.ts',
    tests: ['services/gateway/test/unit/*.test.ts'],
    ci: true,
  },
  'rate-limit': {
    mutate: 'services/gateway/src/entry-points/http/rate-limit.ts',
    tests: ['services/gateway/test/rate-limit-headers.test.ts', 'services/gateway/test/key-access.test.ts'],
    infra: true,
    ci: false,
  },
};
