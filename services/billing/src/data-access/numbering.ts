import { isDuplicateKeyError } from '@pitlane/mongo';
import type { Model } from 'mongoose';

import type { CounterDoc } from './counter.model';

export type NumberedInsert = { inserted: true; seq: number } | { inserted: false };

interface SequenceOptions {
  counters: Model<CounterDoc>;
  counterId: string;
  /** after a duplicate-key error: was it the document's OTHER unique key (e.g. bookingId), i.e. nothing to do? */
  alreadyExists?(): Promise<boolean>;
  maxAttempts?: number;
}

export interface NumberedInsertOptions extends SequenceOptions {
  /** inserts the document carrying `seq`; the collection has a unique index on the number */
  insert(seq: number): Promise<unknown>;
}

/** Inserts documents in the given order and stops at the first failure (an ordered insertMany); its
 * error names the failed document by `writeErrors[0].index` (the driver's bulk write error). */
export type OrderedInsert = (documents: unknown[]) => Promise<unknown>;

export interface GroupedInsertOptions extends SequenceOptions {
  /** the document carrying `seq`; a rejection (e.g. it is invalid) fails this insert alone, taking no number */
  document(seq: number): Promise<unknown>;
  /** the writer shared by every insert of the sequence: requests with the same one are grouped */
  insertOrdered: OrderedInsert;
}

/**
 * Gap-free numbering without transactions. A number is taken only by inserting the document that
 * carries it (unique index on the number), never by bumping a counter first: a process that dies
 * before its insert has taken nothing, so no gap. The counter only remembers the last number known
 * to exist, to start the search near the end; it is advanced ($max) after an insert or a collision,
 * to numbers that exist. Concurrent allocators collide on the unique index and try the next number.
 */
export function insertWithNextNumber(options: NumberedInsertOptions): Promise<NumberedInsert> {
  // a group of one: its own writer, which no other request shares
  const insertOne: OrderedInsert = ([seq]) => options.insert(seq as number);
  return enqueue(options, insertOne, (seq) => Promise.resolve(seq));
}

/**
 * The same numbering with group commit: requests of one sequence that wait in this process while an
 * earlier group is written join ONE ordered insert with consecutive numbers, and the counter hint
 * moves once per group. Ordered, so a number exists only if every document before it in the group
 * was inserted too; at a collision at position k (another instance took that number, or the document
 * exists under its other key) the documents from k on are tried again with fresh numbers.
 */
export function insertGroupedWithNextNumber(options: GroupedInsertOptions): Promise<NumberedInsert> {
  return enqueue(options, options.insertOrdered, (seq) => options.document(seq));
}

/** Documents per ordered insert: bounds one write's size (and what a failed write takes back). */
export const MAX_GROUP = 100;

interface Request {
  document(seq: number): Promise<unknown>;
  /** its own alreadyExists and maxAttempts */
  options: SequenceOptions;
  attempts: number;
  resolve(result: NumberedInsert): void;
  reject(error: unknown): void;
}

interface Group {
  insertOrdered: OrderedInsert;
  requests: Request[];
}

/** The group of each sequence still waiting for its turn (open to more requests), per instance. */
const openGroupsByInstance = new WeakMap<object, Map<string, Group>>();

function enqueue(options: SequenceOptions, insertOrdered: OrderedInsert, document: (seq: number) => Promise<unknown>): Promise<NumberedInsert> {
  const { counters, counterId } = options;
  return new Promise<NumberedInsert>((resolve, reject) => {
    const open = openGroupsByInstance.get(counters) ?? new Map<string, Group>();
    openGroupsByInstance.set(counters, open);
    let group = open.get(counterId);
    if (!group || group.insertOrdered !== insertOrdered || group.requests.length >= MAX_GROUP) {
      const fresh: Group = { insertOrdered, requests: [] };
      open.set(counterId, fresh);
      void serialised(counters, counterId, () => {
        // its turn: closed to newcomers, who form the next group while this one is written
        if (open.get(counterId) === fresh) open.delete(counterId);
        return allocate(options, fresh);
      });
      group = fresh;
    }
    group.requests.push({ document, options, attempts: 0, resolve, reject });
  });
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

/** Numbers a group's requests; settles every one of them and never throws. */
async function allocate(options: SequenceOptions, group: Group): Promise<void> {
  const { counters, counterId } = options;
  const lastInserted = lastInsertedByInstance.get(counters) ?? new Map<string, number>();
  lastInsertedByInstance.set(counters, lastInserted);
  let waiting = group.requests;
  try {
    let candidate = (lastInserted.get(counterId) ?? (await readCounter(counters, counterId))) + 1;
    while (waiting.length > 0) {
      const { requests, documents } = await build(waiting, candidate);
      waiting = requests;
      if (waiting.length === 0) return;
      let failure: unknown;
      let failedAt = waiting.length;
      try {
        await group.insertOrdered(documents);
      } catch (error) {
        const index = failedIndexOf(error);
        if (index === undefined && waiting.length > 1) {
          // nothing says how far the write got: every request of it gets the error (their retries
          // find their documents, if any were written, under the other unique key)
          for (const request of waiting) request.reject(error);
          return;
        }
        failure = error;
        failedAt = index ?? 0;
      }
      // the documents before the failed one exist now, under candidate..candidate+failedAt-1
      if (failedAt > 0) {
        lastInserted.set(counterId, candidate + failedAt - 1);
        // they exist: a failing hint update must not turn that success into an error
        await advanceCounter(counters, counterId, candidate + failedAt - 1).catch(() => undefined);
      }
      for (const [index, request] of waiting.slice(0, failedAt).entries()) request.resolve({ inserted: true, seq: candidate + index });
      waiting = waiting.slice(failedAt);
      candidate += failedAt;
      const failed = waiting[0];
      if (failure === undefined || !failed) return;
      if (!isDuplicateKeyError(failure)) {
        // that error is its answer; the documents after it were not tried and go on
        failed.reject(failure);
        waiting = waiting.slice(1);
      } else if (failed.options.alreadyExists && (await failed.options.alreadyExists())) {
        failed.resolve({ inserted: false });
        waiting = waiting.slice(1);
      } else {
        // the number is taken by a document that exists (another instance, or a hint that lagged
        // behind a crash): record it, and go on after the highest number known to exist
        await advanceCounter(counters, counterId, candidate).catch(() => undefined);
        candidate = Math.max(candidate, await readCounter(counters, counterId)) + 1;
        const maxAttempts = failed.options.maxAttempts ?? 200;
        if (++failed.attempts >= maxAttempts) {
          failed.reject(new Error(`could not allocate a number for ${counterId} after ${maxAttempts} attempts`));
          waiting = waiting.slice(1);
        }
      }
    }
  } catch (error) {
    // the counter could not be read, or the other key not checked: the requests still waiting get the error
    for (const request of waiting) request.reject(error);
  }
}

/** The documents of the waiting requests under consecutive numbers from `first`; a request whose
 * document cannot be built fails alone and takes no number. */
async function build(waiting: Request[], first: number): Promise<{ requests: Request[]; documents: unknown[] }> {
  const requests: Request[] = [];
  const documents: unknown[] = [];
  for (const request of waiting) {
    try {
      documents.push(await request.document(first + requests.length));
      requests.push(request);
    } catch (error) {
      request.reject(error);
    }
  }
  return { requests, documents };
}

/** Which document of an ordered insert failed: the driver's bulk write error says; a single
 * document's insert need not (undefined: it is that one). */
export function failedIndexOf(error: unknown): number | undefined {
  const index = (error as { writeErrors?: { index?: unknown }[] } | null)?.writeErrors?.[0]?.index;
  return typeof index === 'number' ? index : undefined;
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
