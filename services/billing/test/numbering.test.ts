import { connectMongo, ensureIndexes } from '@pitlane/mongo';
import { infraUrls, testNames } from '@pitlane/testing';
import type { Connection } from 'mongoose';

import { registerModels, type Models } from '../src/data-access/models';
import { insertWithNextNumber } from '../src/data-access/numbering';

/** The crash cases of gap-free numbering, which no HTTP call can stage: a process dying before its
 * insert, and one dying after its insert but before the counter moved. A "restarted process" is a
 * new connection with its own models (and so none of the first one's in-memory state). */
describe('numbering across crashes', () => {
  const names = testNames(__filename);
  const connections: Connection[] = [];

  async function restartedProcess(): Promise<Models> {
    const connection = await connectMongo({ url: infraUrls().mongoUrl, dbName: names.database('billing') });
    connections.push(connection);
    const models = registerModels(connection);
    await ensureIndexes(connection);
    return models;
  }

  afterAll(async () => {
    await connections[0]?.dropDatabase();
    await Promise.all(connections.map((c) => c.close()));
  });

  const numbered = (models: Models, garageId: string, fail?: Error) =>
    insertWithNextNumber({
      counters: models.Counter,
      counterId: `${garageId}:EST`,
      insert: async (seq) => {
        if (fail) throw fail;
        await models.Estimate.collection.insertOne({ _id: `${garageId}-${seq}`, garageId, number: `EST-${seq}` } as never);
      },
    });

  it('when a process dies before its insert, then its number is not used up', async () => {
    const models = await restartedProcess();
    expect(await numbered(models, 'g-before')).toEqual({ inserted: true, seq: 1 });
    await expect(numbered(models, 'g-before', new Error('connection reset'))).rejects.toThrow('connection reset');
    const restarted = await restartedProcess();
    expect(await numbered(restarted, 'g-before')).toEqual({ inserted: true, seq: 2 });
  });

  it('when a process dies after its insert but before the counter moved, then the next process skips to the next free number', async () => {
    const models = await restartedProcess();
    await numbered(models, 'g-after');
    await numbered(models, 'g-after');
    await models.Counter.updateOne({ _id: 'g-after:EST' }, { $set: { seq: 0 } }); // the hint never saw either insert

    const restarted = await restartedProcess();
    expect(await numbered(restarted, 'g-after')).toEqual({ inserted: true, seq: 3 });
    expect((await restarted.Counter.findById('g-after:EST').lean())?.seq).toBe(3);
  });
});
