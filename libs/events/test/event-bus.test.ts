import { randomUUID } from 'node:crypto';

import { createEvent, applyOnce, type EventBus, type EventEnvelope } from '@pitlane/events';
import { deleteAmqpNames, infraUrls, peekQueue, startTcpProxy, testNames, waitFor } from '@pitlane/testing';
import mongoose, { Schema, type Connection } from 'mongoose';
import { z } from 'zod';

import { newBus } from './helpers';

const names = testNames(__filename);
const { amqpUrl, mongoUrl } = infraUrls();
const bookingCreated = z.object({ bookingId: z.string(), customerId: z.string() });
type BookingCreated = z.infer<typeof bookingCreated>;

function bookingEvent(data: BookingCreated): EventEnvelope<BookingCreated> {
  return createEvent('bookings', { type: 'booking.created', data, organisationId: 'org1', garageId: 'g1' });
}

describe('event bus', () => {
  const buses: EventBus[] = [];
  const queues: string[] = [];
  let connection: Connection;

  function bus(queueSuffix: string, retryDelaysMs?: number[]): EventBus {
    const queue = `${names.queuePrefix}${queueSuffix}`;
    queues.push(queue);
    const created = newBus(amqpUrl, names.exchange, queue, retryDelaysMs ? { retryDelaysMs } : {});
    buses.push(created);
    return created;
  }

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('events') }).asPromise();
  });

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.stop()));
    await deleteAmqpNames(amqpUrl, names.exchange, queues);
    await connection.dropDatabase();
    await connection.close();
  });

  it('when one service publishes an event, then another service consumes it with its envelope', async () => {
    const publisher = bus('bookings');
    const consumer = bus('billing');
    const received: EventEnvelope<BookingCreated>[] = [];
    consumer.subscribe('booking.created', bookingCreated, (event) => {
      received.push(event);
    });
    await Promise.all([publisher.start(), consumer.start()]);

    const event = bookingEvent({ bookingId: 'b1', customerId: 'c1' });
    await publisher.publish(event);

    await waitFor(() => received.length === 1, { message: 'event not consumed' });
    expect(received[0]).toEqual(event);
  });

  it('when the same event is delivered twice, then the consumer acts once', async () => {
    const Counter = connection.model(
      'Counter',
      new Schema({ _id: String, bookings: { type: Number, default: 0 }, processedEventIds: [String] }),
    );
    await Counter.create({ _id: 'c1' });
    const consumer = bus('dedupe');
    const outcomes: string[] = [];
    consumer.subscribe('booking.created', bookingCreated, async (event) => {
      const outcome = await applyOnce(Counter, { _id: event.data.customerId }, { $inc: { bookings: 1 } }, event.id);
      outcomes.push(outcome);
      return outcome === 'duplicate' ? 'duplicate' : 'handled';
    });
    const publisher = bus('dedupe-publisher');
    await Promise.all([consumer.start(), publisher.start()]);

    const event = bookingEvent({ bookingId: 'b2', customerId: 'c1' });
    await publisher.publish(event);
    await publisher.publish(event);

    await waitFor(() => outcomes.length === 2, { message: 'both deliveries not consumed' });
    expect(outcomes.sort()).toEqual(['duplicate', 'handled']);
    expect((await Counter.findById('c1').lean())?.bookings).toBe(1);
  });

  it('when a message fails its schema, then it lands in the dead-letter queue without reaching the handler', async () => {
    const consumer = bus('poison');
    const handled: unknown[] = [];
    consumer.subscribe('booking.created', bookingCreated, (event) => {
      handled.push(event);
    });
    const publisher = bus('poison-publisher');
    await Promise.all([consumer.start(), publisher.start()]);

    const poison = createEvent('bookings', {
      type: 'booking.created',
      data: { bookingId: 42 },
      organisationId: 'org1',
      garageId: 'g1',
    });
    await publisher.publish(poison);

    const dead = await waitFor(async () => {
      const messages = await peekQueue(amqpUrl, consumer.names.deadLetterQueue);
      return messages.length === 1 ? messages : undefined;
    });
    expect(dead[0]?.body).toMatchObject({ id: poison.id, type: 'booking.created' });
    expect(String(dead[0]?.headers['x-dead-letter-reason'])).toContain('invalid booking.created data');
    expect(handled).toHaveLength(0);
  });

  it('when a handler keeps failing, then it is retried after each delay and then dead-lettered', async () => {
    const consumer = bus('failing', [20, 50]);
    const attempts: number[] = [];
    consumer.subscribe('booking.created', bookingCreated, () => {
      attempts.push(Date.now());
      throw new Error('downstream is broken');
    });
    const publisher = bus('failing-publisher');
    await Promise.all([consumer.start(), publisher.start()]);

    const event = bookingEvent({ bookingId: 'b3', customerId: randomUUID() });
    await publisher.publish(event);

    const dead = await waitFor(async () => {
      const messages = await peekQueue(amqpUrl, consumer.names.deadLetterQueue);
      return messages.length === 1 ? messages : undefined;
    });
    expect(attempts).toHaveLength(3);
    expect(dead[0]?.body).toMatchObject({ id: event.id });
    expect(dead[0]?.headers['x-dead-letter-reason']).toBe('downstream is broken');
    expect(dead[0]?.headers['x-attempt']).toBe(3);
  });

  it('when a handler fails once, then the retry delivers the event again and it is handled', async () => {
    const consumer = bus('flaky', [20]);
    let calls = 0;
    const handled: string[] = [];
    consumer.subscribe('booking.created', bookingCreated, (event) => {
      calls++;
      if (calls === 1) throw new Error('temporary failure');
      handled.push(event.id);
    });
    const publisher = bus('flaky-publisher');
    await Promise.all([consumer.start(), publisher.start()]);

    const event = bookingEvent({ bookingId: 'b4', customerId: 'c4' });
    await publisher.publish(event);

    await waitFor(() => handled.length === 1);
    expect(handled).toEqual([event.id]);
    expect(await peekQueue(amqpUrl, consumer.names.deadLetterQueue)).toHaveLength(0);
  });

  it('when two instances of one service consume, then each event is handled by exactly one of them', async () => {
    const first = bus('competing');
    const second = newBus(amqpUrl, names.exchange, `${names.queuePrefix}competing`);
    buses.push(second);
    const seen: Record<string, string[]> = { first: [], second: [] };
    first.subscribe('booking.created', bookingCreated, (event) => {
      seen.first?.push(event.id);
    });
    second.subscribe('booking.created', bookingCreated, (event) => {
      seen.second?.push(event.id);
    });
    const publisher = bus('competing-publisher');
    await Promise.all([first.start(), second.start(), publisher.start()]);

    const events = Array.from({ length: 40 }, (_, i) => bookingEvent({ bookingId: `b${i}`, customerId: 'c' }));
    await Promise.all(events.map((event) => publisher.publish(event)));

    await waitFor(() => (seen.first?.length ?? 0) + (seen.second?.length ?? 0) >= 40);
    const all = [...(seen.first ?? []), ...(seen.second ?? [])].sort();
    expect(all).toEqual(events.map((e) => e.id).sort());
  });

  it('when the broker connection drops, then the consumer reconnects and receives what was published meanwhile', async () => {
    const proxy = await startTcpProxy(amqpUrl);
    const queue = `${names.queuePrefix}reconnecting`;
    queues.push(queue);
    const consumer = newBus(proxy.url, names.exchange, queue);
    buses.push(consumer);
    const handled: string[] = [];
    consumer.subscribe('booking.created', bookingCreated, (event) => {
      handled.push(event.id);
    });
    const publisher = bus('reconnecting-publisher');
    await Promise.all([consumer.start(), publisher.start()]);

    proxy.cut();
    await waitFor(() => !consumer.isConnected(), { message: 'consumer did not notice the outage' });
    const duringOutage = bookingEvent({ bookingId: 'b-outage', customerId: 'c' });
    await publisher.publish(duringOutage); // the durable queue keeps it
    proxy.restore();

    await waitFor(() => handled.includes(duringOutage.id), { timeoutMs: 15_000, message: 'not consumed after reconnect' });
    const afterwards = bookingEvent({ bookingId: 'b-after', customerId: 'c' });
    await publisher.publish(afterwards);
    await waitFor(() => handled.includes(afterwards.id));
    await consumer.stop();
    await proxy.close();
  });
});
