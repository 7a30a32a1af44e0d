import mongoose from 'mongoose';
import { CROSS_TENANT_FIELDS, TENANT_COLLECTIONS, type CollectionRule } from './tenant-collections';

/**
 * Records every query the driver sends on a tenant collection (tenant-collections.ts) whose filter
 * carries no tenant / shard key: on a sharded cluster such a query goes to every shard, and on any
 * cluster it reads across garages. Built on the driver's command monitoring, so it sees what reaches
 * the server whatever the code path (models, raw collections, aggregations).
 */
export interface UntargetedQuery {
  service: string;
  collection: string;
  command: string;
  /** the filter's shape: field names and operators, values replaced by their type */
  filter: string;
  /** the first frame outside the driver and mongoose: where the query was made */
  origin?: string;
}

type Doc = Record<string, unknown>;
interface CommandStarted {
  commandName: string;
  databaseName: string;
  command: Doc;
}

const found: UntargetedQuery[] = [];
let installed = false;

/** Turns command monitoring on for every mongoose connection opened from now on in this module
 * registry (one jest test file) and starts recording. Idempotent. */
export function installQueryRecorder(): void {
  if (installed) return;
  installed = true;
  // the driver's connection class (NativeConnection) is the default connection's prototype
  type CreateClient = (this: { client?: NodeJS.EventEmitter }, uri: string, options?: Doc) => Promise<unknown>;
  const proto = Object.getPrototypeOf(mongoose.connection) as { createClient: CreateClient };
  const original = proto.createClient;
  proto.createClient = function createClient(uri, options) {
    const opened = original.call(this, uri, { ...options, monitorCommands: true });
    // createClient sets `this.client` before its first await, so no command is missed
    this.client?.on('commandStarted', (event: CommandStarted) => record(event));
    return opened;
  };
}

/** The untargeted queries recorded so far (and forgets them). */
export function takeUntargetedQueries(): UntargetedQuery[] {
  return found.splice(0, found.length);
}

export function record(event: CommandStarted): void {
  const queries = untargetedQueries(event);
  if (queries.length === 0) return;
  const origin = originOf();
  // a service test reading storage to check what the service did is not a query the service makes
  if (origin && /(^|\/)(services\/[^/]+\/test|e2e)\//.test(origin)) return;
  for (const query of queries) {
    if (!found.some((seen) => sameQuery(seen, query))) found.push(origin ? { ...query, origin } : query);
  }
}

/** The caller, from the async stack trace (V8 keeps awaiting callers). Unknown stays unknown and
 * the query counts as the service's. */
function originOf(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const frames = stack.split('\n').slice(1).map((line) => /\(?([^()\s]+:\d+):\d+\)?$/.exec(line.trim())?.[1]);
  const own = (frame: string) => frame.includes('/node_modules/') || frame.startsWith('node:') || frame.includes('libs/testing/src/query-recorder');
  return frames.find((frame): frame is string => frame !== undefined && !own(frame))?.replace(`${process.cwd()}/`, '');
}

/** The queries of one command that carry no tenant key (pure; exported for tests). */
export function untargetedQueries(event: CommandStarted): UntargetedQuery[] {
  const service = serviceOf(event.databaseName);
  if (!service) return [];
  const { collection, filters } = filtersOf(event.commandName, event.command);
  const rule = collection === undefined ? undefined : TENANT_COLLECTIONS[service]?.[collection];
  if (!rule || rule.exempt || collection === undefined) return [];
  return filters
    .filter((filter) => !isTargeted(filter, rule))
    .map((filter) => ({ service, collection, command: event.commandName, filter: shapeOf(filter) }));
}

function serviceOf(databaseName: string): string | undefined {
  // tests name databases `t_<file>_<id>_<service>` (names.ts); deployments name them after the service
  return Object.keys(TENANT_COLLECTIONS).find((service) => databaseName === service || databaseName.endsWith(`_${service}`));
}

function filtersOf(commandName: string, command: Doc): { collection?: string; filters: Doc[] } {
  const target = command[commandName];
  const collection = typeof target === 'string' ? target : undefined;
  const asDoc = (value: unknown): Doc => (value && typeof value === 'object' ? (value as Doc) : {});
  switch (commandName) {
    case 'find':
      return { collection, filters: [asDoc(command.filter)] };
    case 'count':
    case 'distinct':
    case 'findAndModify':
      return { collection, filters: [asDoc(command.query)] };
    case 'update':
      return { collection, filters: ((command.updates as Doc[] | undefined) ?? []).map((update) => asDoc(update.q)) };
    case 'delete':
      return { collection, filters: ((command.deletes as Doc[] | undefined) ?? []).map((remove) => asDoc(remove.q)) };
    case 'aggregate': {
      const [first] = (command.pipeline as Doc[] | undefined) ?? [];
      return { collection, filters: [asDoc(first?.$match)] };
    }
    default:
      return { filters: [] };
  }
}

/** Does the filter constrain a tenant key (through $and: any branch; through $or: every branch)? */
function isTargeted(filter: Doc, rule: CollectionRule): boolean {
  const allowed = { ...CROSS_TENANT_FIELDS, ...rule.allowedBy };
  if (mentions(filter, Object.keys(allowed))) return true;
  if (rule.allowedShapes && shapeOf(filter) in rule.allowedShapes) return true;
  return constrains(filter, rule.targetedBy ?? []);
}

function constrains(filter: Doc, fields: readonly string[]): boolean {
  if (fields.some((field) => field in filter && pinned(filter[field], field))) return true;
  const and = filter.$and as Doc[] | undefined;
  if (Array.isArray(and) && and.some((branch) => constrains(branch, fields))) return true;
  const or = filter.$or as Doc[] | undefined;
  return Array.isArray(or) && or.length > 0 && or.every((branch) => constrains(branch, fields));
}

/** A value pins a field to a few values (equality, $eq, $in); `_id` ranges count (they begin with the garage). */
function pinned(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return true;
  const operators = value as Doc;
  if ('$eq' in operators || '$in' in operators) return true;
  return field === '_id' && ('$gte' in operators || '$gt' in operators) && ('$lt' in operators || '$lte' in operators);
}

function mentions(filter: unknown, fields: string[]): boolean {
  if (Array.isArray(filter)) return filter.some((item) => mentions(item, fields));
  if (!filter || typeof filter !== 'object') return false;
  return Object.entries(filter as Doc).some(([key, value]) => fields.includes(key) || mentions(value, fields));
}

/** `{ status: 'x', nextAttemptAt: { $lte: d } }` → `{nextAttemptAt: {$lte: Date}, status: string}` */
export function shapeOf(value: unknown): string {
  if (Array.isArray(value)) {
    // a list of like values ($in) has one shape whatever its length; $and / $or branches differ
    const shapes = value.map(shapeOf);
    return `[${(shapes.every((shape) => shape === shapes[0]) ? shapes.slice(0, 1) : shapes).join(', ')}]`;
  }
  if (value instanceof Date) return 'Date';
  if (value && typeof value === 'object' && value.constructor === Object) {
    // keys sorted: the same query has the same shape whatever order the code wrote it in
    const entries = Object.entries(value as Doc).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${key}: ${shapeOf(inner)}`).join(', ')}}`;
  }
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}

function sameQuery(a: UntargetedQuery, b: UntargetedQuery): boolean {
  return a.service === b.service && a.collection === b.collection && a.command === b.command && a.filter === b.filter;
}

export function describeUntargeted(queries: UntargetedQuery[]): string {
  return [
    `${queries.length} quer${queries.length === 1 ? 'y' : 'ies'} on tenant collections without garageId (or the collection's shard key);`,
    'add the tenant key to the filter, or exempt it with a reason in libs/testing/src/tenant-collections.ts:',
    ...queries.map((query) => `  ${query.service}.${query.collection} ${query.command} ${query.filter}${query.origin ? `  (${query.origin})` : ''}`),
  ].join('\n');
}
