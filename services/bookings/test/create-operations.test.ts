import { checkResponse, deleteAmqpNames, infraUrls, randomId, serviceEnv, startMongoCommandCounter, testNames, type MongoCommandCounter } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startBookings, type BookingsService } from '../src/service';
import { Api, createCustomer, createVehicle, futureDate, putSchedule } from './factories';

const MONDAY = 1;

/**
 * Issue 16: a create costs at most five database operations. Counted at the wire (a proxy between the
 * service and MongoDB reads every command), with the outbox relay stopped and the reconciler's sweep
 * far away, so every command seen while the request runs is the create's own.
 */
describe('database operations per booking create', () => {
  const names = testNames(__filename);
  let counter: MongoCommandCounter;
  let service: BookingsService;

  beforeAll(async () => {
    counter = await startMongoCommandCounter(infraUrls().mongoUrl);
    service = await startBookings(readConfig(serviceEnv(names, 'bookings', { MONGO_URL: counter.url, RECONCILE_INTERVAL_MS: '3600000' })), {
      queue: `${names.queuePrefix}bookings`,
    });
  });
  afterAll(async () => {
    await service.connection.dropDatabase();
    await service.close();
    await counter.close();
    await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, [`${names.queuePrefix}bookings`]);
  });

  async function countCreate(api: Api, body: Record<string, unknown>, key?: string) {
    counter.reset();
    const response = await fetch(api.url('/bookings'), {
      method: 'POST',
      headers: { ...api.headers(), 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    const commands = counter.commands();
    await checkResponse('POST', response.url, response);
    return { status: response.status, commands, body: (await response.json()) as { data: { number: string } } };
  }

  it('when one booking with a slot is created uncontended, then it takes at most 5 database commands, and a second create as many', async () => {
    const api = new Api(service.url, { garageId: `gar_${randomId()}`, organisationId: 'org_test', timezone: 'Europe/London', currency: 'GBP' });
    await putSchedule(api, { dailyCapacity: 10, slotCapacity: 2 });
    const customer = await createCustomer(api);
    const [a, b, c] = [await createVehicle(api, customer.id), await createVehicle(api, customer.id), await createVehicle(api, customer.id)];
    await service.relay.stop(); // from here on only requests talk to the database
    const date = futureDate(MONDAY);

    // the first create of a garage also reserves a block of booking numbers (one more write)
    const first = await countCreate(api, { customerId: customer.id, vehicleId: a.id, date, timeslot: '09:00' });
    expect(first.status).toBe(201);
    expect(first.commands.filter((command) => command.target !== 'sequences').length).toBeLessThanOrEqual(5);

    const second = await countCreate(api, { customerId: customer.id, vehicleId: b.id, date, timeslot: '10:00' });
    expect(second.status).toBe(201);
    expect(second.commands.length).toBeLessThanOrEqual(5);
    expect(second.commands.map((command) => command.target).sort()).toEqual(['bookings', 'capacity_days', 'schedules', 'vehicle_locks', 'vehicles']);
    expect(second.body.data.number).not.toBe(first.body.data.number);

    const withKey = await countCreate(api, { customerId: customer.id, vehicleId: c.id, date }, `idem-${randomId()}`);
    expect(withKey.status).toBe(201);
    // the shared Idempotency-Key middleware adds exactly its claim and its record of the answer
    const keyCommands = withKey.commands.filter((command) => command.target === 'idempotency_keys');
    expect(keyCommands).toHaveLength(2);
    expect(withKey.commands.length - keyCommands.length).toBeLessThanOrEqual(5);
  }, 60_000);
});
