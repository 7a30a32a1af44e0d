import { isDuplicateKeyError } from '@pitlane/mongo';
import type { Model } from 'mongoose';

import type { CounterDoc } from './counter.model';

export type NumberedInsert = { inserted: true; seq: number } | { inserted: false };

export interface NumberedInsertOptions {
  counters: Model<CounterDoc>;
  counterId: string;
  /** inserts the document carrying `seq`; the collection has a unique index on the number */
  insert(seq: number): Promise<unknown>;
  /** after a duplicate-key error: was it the document's OTHER unique key (e.g. bookingId), i.e. nothing to do? */
  alreadyExists?(): Promise<boolean>;
  maxAttempts?: number;
}

/**
 * Gap-free numbering without transactions. A number is taken only by inserting the document that
 * carries it (unique index on the number), never by bumping a counter first: a process that dies
 * before its insert has taken nothing, so no gap. The counter only remembers the last number known
 * to exist, to start the search near the end; it is advanced ($max) after an insert or a collision,
 * to numbers that exist. Concurrent allocators collide on the unique index and try the next number.
 */
export function insertWithNextNumber(options: NumberedInsertOptions): Promise<NumberedInsert> {
  return serialised(options.counters, options.counterId, () => allocate(options));
}

/**
 * Allocations of one sequence are queued within this process: correctness never depends on it (the
 * unique index does that, across instances too), but without it N concurrent handlers of one garage
 * all collide on every number and each number costs N inserts. Other sequences run in parallel.
 * Keyed by the instance's own Counter model, so two instances in one process (tests, bench) still race.
 */
const queuesByInstance = new WeakMap<object, Map<string, Promise<unknown>>>();

function serialised<T>(instance: object, key: string, task: () => Promise<T>): Promise<T> {
  const queues = queuesByInstance.get(instance) ?? new Map<string, Promise<unknown>>();
  queuesByInstance.set(instance, queues);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  // Stryker disable next-line BlockStatement: skipping the clean-up only keeps one settled promise in memory
  void tail.then(() => {
    // Stryker disable next-line ConditionalExpression: `false` only keeps a settled promise; deleting a newer tail (`true`) is the EqualityOperator mutant, which numbering-sequence.test.ts kills
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** Per instance, the last number it inserted itself per sequence: a number that surely exists, so
 * the next allocation can try the one after without reading the counter first. */
const lastInsertedByInstance = new WeakMap<object, Map<string, number>>();

async function allocate(options: NumberedInsertOptions): Promise<NumberedInsert> {
  const { counters, counterId, maxAttempts = 200 } = options;
  const lastInserted = lastInsertedByInstance.get(counters) ?? new Map<string, number>();
  lastInsertedByInstance.set(counters, lastInserted);
  let candidate = (lastInserted.get(counterId) ?? (await readCounter(counters, counterId))) + 1;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    try {
      await options.insert(candidate);
      lastInserted.set(counterId, candidate);
      // the document exists now: a failing hint update must not turn that success into an error
      await advanceCounter(counters, counterId, candidate).catch(() => undefined);
      return { inserted: true, seq: candidate };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      if (options.alreadyExists && (await options.alreadyExists())) return { inserted: false };
      // the number is taken by a document that exists (another instance, or a hint that lagged
      // behind a crash): record it, and go on after the highest number known to exist
      await advanceCounter(counters, counterId, candidate).catch(() => undefined);
      candidate = Math.max(candidate, await readCounter(counters, counterId)) + 1;
    }
  }
  throw new Error(`could not allocate a number for ${counterId} after ${maxAttempts} attempts`);
}

async function readCounter(counters: Model<CounterDoc>, counterId: string): Promise<number> {
  const counter = await counters.findById(counterId).lean<CounterDoc>().exec();
  return counter?.seq ?? 0;
}

/** $max never moves the counter back; two first-time upserts can race on `_id`: the loser retries. */
async function advanceCounter(counters: Model<CounterDoc>, counterId: string, seq: number): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await counters.updateOne({ _id: counterId }, { $max: { seq } }, { upsert: true });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}
