import type { Connection } from 'mongoose';
import { MongoDBContainer, type StartedMongoDBContainer } from '@testcontainers/mongodb';
import { connectMongo, isDuplicateKeyError } from '@pitlane/mongo';
import { infraUrls, testNames } from '@pitlane/testing';

/** Which MongoDB the compatibility suite runs against: the stand-in of the test run (MONGO_URL,
 * default) or, with MONGO_COMPAT_REAL=1, a real MongoDB 7 started here with testcontainers (needs Docker). */
export const IS_REAL_MONGO = process.env.MONGO_COMPAT_REAL === '1';

/** A test that pins a gap of the stand-in (something code must NOT use); real MongoDB behaves otherwise. */
export const onStandInOnly = IS_REAL_MONGO ? it.skip : it;
/** A test of behaviour the stand-in lacks: documents real MongoDB only, so code must not rely on it. */
export const onRealMongoOnly = IS_REAL_MONGO ? it : it.skip;

export interface CompatTarget {
  conn: Connection;
  close(): Promise<void>;
}

export async function openCompatTarget(label: string): Promise<CompatTarget> {
  let container: StartedMongoDBContainer | undefined;
  let url: string;
  if (IS_REAL_MONGO) {
    // A single-node replica set, like production MongoDB (transactions exist there).
    container = await new MongoDBContainer('mongo:7').start();
    url = `${container.getConnectionString()}/?directConnection=true`;
  } else {
    url = infraUrls().mongoUrl;
  }
  // The same options production uses (autoIndex off: indexes are created explicitly).
  const conn = await connectMongo({ url, dbName: testNames(label).database('compat') });
  return {
    conn,
    async close() {
      await conn.dropDatabase().catch(() => undefined); // fresh names per run anyway; this only saves memory
      await conn.close();
      await container?.stop();
    },
  };
}

/** What production code does around an upsert: on real MongoDB two concurrent upserts of the same
 * missing document can both try to insert, and one fails with 11000; run it again once. */
export async function retryOnceOnDuplicateKey<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return operation();
  }
}
