import mongoose, { type Connection } from 'mongoose';
import { infraUrls, testNames } from '@pitlane/testing';
import { takeUntargetedQueries } from '../src/query-recorder';

const names = testNames(__filename);

/** The recorder is switched on for every file by jest.config.js (query-recorder-setup.ts). */
describe('query recorder', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await mongoose.createConnection(infraUrls().mongoUrl, { dbName: names.database('webhooks') }).asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when a service queries a tenant collection without garageId, then the query is recorded with its shape', async () => {
    const deliveries = connection.collection('deliveries');
    await deliveries.insertOne({ _id: 'd1' as never, garageId: 'g1', status: 'pending' });

    await deliveries.find({ status: 'pending', nextAttemptAt: { $lte: new Date() } }).toArray();
    await deliveries.updateOne({ webhookId: 'w1' }, { $set: { status: 'sent' } });
    await deliveries.countDocuments({ garageId: { $ne: 'g1' } });

    const recorded = takeUntargetedQueries();
    expect(recorded.map(({ origin: _origin, ...query }) => query)).toEqual([
      { service: 'webhooks', collection: 'deliveries', command: 'find', filter: '{nextAttemptAt: {$lte: Date}, status: string}' },
      { service: 'webhooks', collection: 'deliveries', command: 'update', filter: '{webhookId: string}' },
      { service: 'webhooks', collection: 'deliveries', command: 'aggregate', filter: '{garageId: {$ne: string}}' },
    ]);
    expect(recorded[0]?.origin).toMatch(/^libs\/testing\/test\/query-recorder\.test\.ts:\d+$/);
  });

  it('when every query carries garageId (or is an exempt relay sweep), then nothing is recorded', async () => {
    const deliveries = connection.collection('deliveries');
    await deliveries.find({ garageId: 'g1', status: 'pending' }).toArray();
    await deliveries.updateOne({ $and: [{ _id: 'd1' as never, garageId: 'g1' }, { n: { $ne: 1 } }] }, { $set: { n: 1 } });
    await deliveries.find({ $or: [{ garageId: 'g1' }, { garageId: { $in: ['g2'] } }] }).toArray();
    await deliveries.find({ 'outbox.id': { $exists: true } }).toArray();
    await connection.collection('notes').find({}).toArray(); // not a tenant collection

    expect(takeUntargetedQueries()).toEqual([]);
  });
});
