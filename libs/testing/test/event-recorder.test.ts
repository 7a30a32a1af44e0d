import { createLogger, Metrics } from '@pitlane/core';
import { createEvent, EventBus } from '@pitlane/events';
import { deleteAmqpNames, infraUrls, startEventRecorder, testNames } from '@pitlane/testing';

const names = testNames(__filename);

describe('event recorder', () => {
  it('when events of any type are published, then the recorder sees them in order', async () => {
    const recorder = await startEventRecorder(names);
    const publisher = new EventBus({
      url: infraUrls().amqpUrl,
      exchange: names.exchange,
      queue: `${names.queuePrefix}publisher`,
      logger: createLogger('test', 'silent'),
      metrics: new Metrics('test', { defaultMetrics: false }),
    });
    await publisher.start();
    const first = createEvent('test', { type: 'booking.created', data: { n: 1 }, organisationId: 'o', garageId: 'g' });
    const second = createEvent('test', { type: 'invoice.paid', data: { n: 2 }, organisationId: 'o', garageId: 'g' });
    await publisher.publish(first);
    await publisher.publish(second);

    expect((await recorder.next('invoice.paid')).id).toBe(second.id);
    expect(recorder.events.map((e) => e.id)).toEqual([first.id, second.id]);
    expect(recorder.ofType('booking.created')).toHaveLength(1);

    await publisher.stop();
    await recorder.stop();
    await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, []);
  });
});
