import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '@pitlane/core';

export interface MongoOptions {
  url: string;
  /** each service owns one database */
  dbName: string;
  logger?: Logger;
  serverSelectionTimeoutMs?: number;
  /** replica-set options (see docs/scaling.md); unset means the driver's (and the URL's) defaults */
  writeConcern?: 'majority' | number;
  readPreference?: 'primary' | 'primaryPreferred' | 'secondary' | 'secondaryPreferred' | 'nearest';
  retryWrites?: boolean;
  maxPoolSize?: number;
  /** deadline of every database call (MONGO_OP_TIMEOUT_MS): server selection, socket reads, server-side
   * maxTimeMS and mongoose's buffering while disconnected all end by then; the error handler answers 503 */
  opTimeoutMs?: number;
}

/** The replica-set options from a service's config (MONGO_WRITE_CONCERN, MONGO_READ_PREFERENCE,
 * MONGO_RETRY_WRITES, MONGO_MAX_POOL_SIZE), leaving out what is not set. */
export function mongoOptionsOf(config: {
  MONGO_WRITE_CONCERN?: 'majority' | number | undefined;
  MONGO_READ_PREFERENCE?: MongoOptions['readPreference'] | undefined;
  MONGO_RETRY_WRITES?: boolean | undefined;
  MONGO_MAX_POOL_SIZE?: number | undefined;
}): Pick<MongoOptions, 'writeConcern' | 'readPreference' | 'retryWrites' | 'maxPoolSize'> {
  return {
    ...(config.MONGO_WRITE_CONCERN !== undefined ? { writeConcern: config.MONGO_WRITE_CONCERN } : {}),
    ...(config.MONGO_READ_PREFERENCE ? { readPreference: config.MONGO_READ_PREFERENCE } : {}),
    ...(config.MONGO_RETRY_WRITES !== undefined ? { retryWrites: config.MONGO_RETRY_WRITES } : {}),
    ...(config.MONGO_MAX_POOL_SIZE ? { maxPoolSize: config.MONGO_MAX_POOL_SIZE } : {}),
  };
}

export const DEFAULT_MONGO_OP_TIMEOUT_MS = 5_000;

/** Opens the service's own connection (never the mongoose default one, so tests can hold several
 * services' connections in one process). Indexes are not built implicitly: see ensureIndexes. */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const opTimeoutMs = options.opTimeoutMs ?? DEFAULT_MONGO_OP_TIMEOUT_MS;
  const connection = mongoose.createConnection(options.url, {
    dbName: options.dbName,
    autoIndex: false,
    autoCreate: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? Math.min(opTimeoutMs, 10_000),
    // a frozen server (TCP open, no answers) is only noticed by a socket timeout; a little over the
    // operation deadline so maxTimeMS answers first when the server is merely slow
    socketTimeoutMS: opTimeoutMs + 1_000,
    connectTimeoutMS: Math.min(opTimeoutMs, 10_000),
    // w:majority with a journal: an acknowledged write survives the primary failing over
    ...(options.writeConcern !== undefined ? { writeConcern: { w: options.writeConcern, journal: true } } : {}),
    ...(options.readPreference ? { readPreference: options.readPreference } : {}),
    ...(options.retryWrites !== undefined ? { retryWrites: options.retryWrites } : {}),
    ...(options.maxPoolSize ? { maxPoolSize: options.maxPoolSize } : {}),
  });
  // while disconnected, mongoose queues commands: for no longer than the deadline (default 10 s)
  connection.set('bufferTimeoutMS', opTimeoutMs);
  // maxTimeMS on every query and aggregation: slow server-side work ends with an error, not a hung request
  connection.plugin((schema) => {
    schema.pre(/^(find|count|countDocuments|distinct|update|replace|delete)/, function setDeadline(this: { getOptions(): { maxTimeMS?: number }; maxTimeMS(ms: number): unknown }) {
      if (this.getOptions().maxTimeMS === undefined) this.maxTimeMS(opTimeoutMs);
    });
    schema.pre('aggregate', function setDeadline(this: { options: { maxTimeMS?: number } }) {
      this.options.maxTimeMS ??= opTimeoutMs;
    });
  });
  await connection.asPromise();
  options.logger?.info({ dbName: options.dbName }, 'connected to MongoDB');
  connection.on('disconnected', () => options.logger?.info('MongoDB disconnected'));
  connection.on('reconnected', () => options.logger?.info('MongoDB reconnected'));
  return connection;
}

/** Creates every model's declared indexes at start-up (unique indexes are part of correctness). */
export async function ensureIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) {
    // init() first: it creates the collection; racing it, the stand-in can lose an index
    await model.init();
    await model.createIndexes();
  }
}

/** Readiness check: the database answers a ping. */
export async function pingMongo(connection: Connection): Promise<void> {
  if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) throw new Error('not connected');
  await connection.db.admin().ping();
}

/** MongoDB duplicate-key error (unique index), on the stand-in and on real MongoDB alike. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
