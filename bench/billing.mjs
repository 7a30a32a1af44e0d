// Benchmark of the billing service's invoicing path: a burst of N booking.completed events (plus
// duplicates) published to the broker, consumed by billing instances started in-process. Prints
// invoices created per second and the time until the last one exists, then verifies that numbering
// is gap-free (1..N) and that every booking has exactly one invoice.
//
//   npm run bench:billing             (N=500, 10 % duplicates; 1 and 2 instances × 1 and 20 garages)
//   BENCH_N=1000 BENCH_INSTANCES=2 BENCH_GARAGES=1 npm run bench:billing
//
// One garage is the worst case for numbering (every invoice competes for the same sequence); spread
// over garages, sequences are independent and allocations run in parallel.
//
// Needs MongoDB (or the stand-in) and RabbitMQ at MONGO_URL / AMQP_URL (defaults: 127.0.0.1).
import { randomUUID } from 'node:crypto';

import { createLogger, Metrics } from '@pitlane/core';
import { createEvent, EventBus } from '@pitlane/events';
import amqp from 'amqplib';
import { z } from 'zod';

import { cpuSplit, printCpuSplit } from './lib.mjs';

// BENCH_BILLING_DIST: another build of the service (e.g. a copy of an older dist) to compare against
const DIST = process.env.BENCH_BILLING_DIST ?? '../services/billing/dist';
const { readConfig } = await import(`${DIST}/config.js`);
const { startBilling } = await import(`${DIST}/service.js`);

const N = Number(process.env.BENCH_N ?? 500);
const DUPLICATE_SHARE = Number(process.env.BENCH_DUPLICATES ?? 0.1);
const INSTANCE_COUNTS = (process.env.BENCH_INSTANCES ?? '1,2').split(',').map(Number);
const GARAGE_COUNTS = (process.env.BENCH_GARAGES ?? '1,20').split(',').map(Number);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 120_000);
// the outbox relay's safety sweep: the service's own (RELAY_SWEEP_MS, 60 s) unless set; writes hand
// their events to the relay at once, and a sweep makes the stand-in scan the whole collection
const RELAY_SWEEP_MS = process.env.BENCH_RELAY_SWEEP_MS ? Number(process.env.BENCH_RELAY_SWEEP_MS) : undefined;
const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

function completion(index) {
  const customerId = `cus-${randomUUID()}`;
  const vehicleId = `veh-${randomUUID()}`;
  const bookingId = `bkg-${randomUUID()}`;
  return {
    booking: { bookingId, number: `BK-${index}`, customerId, vehicleId, date: '2026-11-20', timeslot: null, status: 'completed', technicianId: null },
    completedAt: '2026-11-20T15:30:00.000Z',
    currency: 'EUR',
    customer: { id: customerId, firstName: 'Bench', lastName: `Customer ${index}`, email: null, phone: null },
    vehicle: { id: vehicleId, customerId, vin: null, registration: `B-${index}`, make: 'VW', model: 'Golf', year: 2020, vehicleType: 'car' },
    technician: null,
    services: [{ serviceId: 'svc-1', name: 'Inspection', code: null, unitPrice: 8999, quantity: 1, taxRate: 2000 }],
    parts: [{ lineId: `line-${index}`, itemId: 'itm-1', sku: 'FLT', name: 'Filter', unitPrice: 1250, quantity: 2, taxRate: 2000, status: 'reserved' }],
  };
}

async function cleanUp(exchange, ...queues) {
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  for (const queue of queues) {
    for (const name of [queue, `${queue}.dead`, `${queue}.retry.1000ms`, `${queue}.retry.10000ms`, `${queue}.retry.60000ms`]) {
      await channel.deleteQueue(name);
    }
  }
  await channel.deleteExchange(exchange);
  await connection.close();
}

async function run(instanceCount, garageCount) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const exchange = `bench.billing.${id}`;
  const queue = `${exchange}.billing`;
  const config = readConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    MONGO_URL,
    MONGO_DB: `bench_billing_${id}`,
    AMQP_URL,
    EVENTS_EXCHANGE: exchange,
    INTERNAL_JWT_SECRET: 'bench-internal-secret-at-least-32-characters',
    // the service's own default unless the run asks for another (BENCH_PREFETCH)
    ...(process.env.BENCH_PREFETCH ? { EVENTS_PREFETCH: process.env.BENCH_PREFETCH } : {}),
  });
  const instances = [];
  for (let i = 0; i < instanceCount; i++) instances.push(await startBilling(config, { queue, ...(RELAY_SWEEP_MS ? { relayPollIntervalMs: RELAY_SWEEP_MS } : {}) }));
  const { Invoice } = instances[0].models;
  const publisher = new EventBus({
    url: AMQP_URL, exchange, queue: `${exchange}.publisher`,
    logger: createLogger('bench', 'warn'), metrics: new Metrics('bench', { defaultMetrics: false }),
  });
  // a downstream consumer (like webhooks): when did the last invoice.created leave the outbox?
  const announced = new Set();
  let lastAnnouncedAt = 0;
  const listener = new EventBus({
    url: AMQP_URL, exchange, queue: `${exchange}.listener`,
    logger: createLogger('bench', 'warn'), metrics: new Metrics('bench-listener', { defaultMetrics: false }),
  });
  listener.subscribe('invoice.created', z.unknown(), async (event) => {
    announced.add(event.data.invoice.bookingId);
    lastAnnouncedAt = performance.now();
  });
  await Promise.all([publisher.start(), listener.start()]);

  const garages = Array.from({ length: garageCount }, (_, g) => `gar-${id}-${g}`);
  const bookings = Array.from({ length: N }, (_, i) => ({ garageId: garages[i % garageCount], data: completion(i + 1) }));
  const duplicates = bookings.slice(0, Math.round(N * DUPLICATE_SHARE));
  const envelopes = [...bookings, ...duplicates].map(({ garageId, data }) =>
    createEvent('bookings', { type: 'booking.completed', data, organisationId: `org-${id}`, garageId }),
  );

  // CPU of this process (the billing instances, the publisher and the listener) and of the servers
  const split = cpuSplit({ 'bench + billing (node)': process.pid });
  const started = performance.now();
  await Promise.all(envelopes.map((event) => publisher.publish(event)));
  const published = performance.now();
  let count = 0;
  while (count < N) {
    if (performance.now() - started > TIMEOUT_MS) throw new Error(`timeout: ${count}/${N} invoices after ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    count = await Invoice.countDocuments({});
  }
  const lastExists = performance.now() - started;
  while (announced.size < N && performance.now() - started < TIMEOUT_MS) await new Promise((resolve) => setTimeout(resolve, 25));
  const lastAnnounced = lastAnnouncedAt - started;
  const cpu = split.end();

  // let straggling duplicates settle, then verify numbering and one invoice per booking
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const invoices = await Invoice.find({}, { garageId: 1, seq: 1, bookingId: 1 }).lean();
  // per garage, the sequence numbers sorted must be exactly 1..count
  const gapFree = garages.every((garageId) => {
    const seqs = invoices.filter((i) => i.garageId === garageId).map((i) => i.seq).sort((a, b) => a - b);
    return seqs.length === N / garageCount && seqs.every((seq, index) => seq === index + 1);
  });
  const perBooking = new Set(invoices.map((i) => i.bookingId));
  const onePerBooking = invoices.length === N && perBooking.size === N && bookings.every((b) => perBooking.has(b.data.booking.bookingId));

  const invoiceCreatedEvents = announced.size;
  await publisher.stop();
  await listener.stop();
  await instances[0].connection.dropDatabase();
  for (const instance of instances) await instance.close();
  await cleanUp(exchange, queue, `${exchange}.listener`);

  return {
    instances: instanceCount,
    garages: garageCount,
    events: envelopes.length,
    invoices: invoices.length,
    publishMs: Math.round(published - started),
    lastInvoiceMs: Math.round(lastExists),
    invoicesPerSecond: Math.round((N / lastExists) * 1000),
    lastInvoiceCreatedEventMs: Math.round(lastAnnounced),
    invoiceCreatedEvents,
    gapFree,
    onePerBooking,
    cpu,
  };
}

const results = [];
for (const garageCount of GARAGE_COUNTS) for (const count of INSTANCE_COUNTS) {
  if (N % garageCount !== 0) throw new Error('BENCH_N must be a multiple of every BENCH_GARAGES value');
  const { cpu, ...result } = await run(count, garageCount);
  results.push(result);
  console.log(
    `${result.instances} instance(s), ${result.garages} garage(s): ${result.events} events (${N} bookings + ${result.events - N} duplicates) → ` +
      `${result.invoices} invoices; published in ${result.publishMs} ms; last invoice after ${result.lastInvoiceMs} ms; ` +
      `${result.invoicesPerSecond} invoices/s; last invoice.created received after ${result.lastInvoiceCreatedEventMs} ms; numbering gap-free: ${result.gapFree}; one per booking: ${result.onePerBooking}`,
  );
  printCpuSplit(cpu);
}
console.table(results);
// headline (issue 16's keys): invoicesPerSec of the run with one instance and one garage (null if not run)
const single = results.find((r) => r.instances === 1 && r.garages === 1);
console.log(JSON.stringify({ bench: 'billing', invoicesPerSec: single?.invoicesPerSecond ?? null, gapFree: results.every((r) => r.gapFree) }));
if (results.some((r) => !r.gapFree || !r.onePerBooking || r.invoiceCreatedEvents !== N)) {
  console.error('VERIFICATION FAILED');
  process.exit(1);
}
process.exit(0);
