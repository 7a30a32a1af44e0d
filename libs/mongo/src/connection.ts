import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '@pitlane/core';

export interface MongoOptions {
  url: string;
  /** each service owns one database */
  dbName: string;
  logger?: Logger;
  serverSelectionTimeoutMs?: number;
}

/** Opens the service's own connection (never the mongoose default one, so tests can hold several
 * services' connections in one process). Indexes are not built implicitly: see ensureIndexes. */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.url, {
    dbName: options.dbName,
    autoIndex: false,
    autoCreate: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
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
