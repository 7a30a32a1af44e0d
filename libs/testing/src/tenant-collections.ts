/**
 * Which fields make a query on each service's collections "targeted": the shard keys (or, for
 * unsharded tenant collections, the tenant key) of docs/scaling.md. A query on a listed collection
 * must constrain one of `targetedBy` by equality, `$in` or (for `_id`) a range; the query recorder
 * (query-recorder.ts) fails a test file on any that does not. Keep this table and the shard-key table
 * of docs/scaling.md in step.
 */
export interface CollectionRule {
  /** any one of these fields, constrained, targets the query (one shard, one tenant) */
  targetedBy?: readonly string[];
  /** the collection is not tenant-scoped: every query is allowed (why) */
  exempt?: string;
  /** further fields whose queries are allowed although they carry no tenant key (field → why) */
  allowedBy?: Readonly<Record<string, string>>;
  /** cross-tenant queries allowed by their exact filter shape (query-recorder shapeOf → why) */
  allowedShapes?: Readonly<Record<string, string>>;
}

const GARAGE: CollectionRule = { targetedBy: ['garageId'] };
/** `_id` begins with the garage (`garageId|...` / `garageId:...`): an exact `_id` is one garage, one shard */
const GARAGE_ID_PREFIX: CollectionRule = { targetedBy: ['_id', 'garageId'] };
/** unsharded (one shard holds it all): an `_id` taken from one of the garage's documents is fine, lists need the garage */
const UNSHARDED_TENANT: CollectionRule = { targetedBy: ['garageId', '_id'] };
const SWEEP = 'background job over all garages; scatter-gather on a sharded cluster, one indexed range per shard per pass';

export const TENANT_COLLECTIONS: Readonly<Record<string, Readonly<Record<string, CollectionRule>>>> = {
  bookings: {
    bookings: {
      ...GARAGE,
      allowedShapes: {
        '{_id: {$in: [string]}}': `capacity reconciler reading the bookings its claims name: ${SWEEP}`,
        '{date: {$gte: string}, deletedAt: null, status: {$nin: [string]}}': `capacity-days migration at start-up (days held by bookings): ${SWEEP}`,
      },
    },
    capacity_days: { ...GARAGE_ID_PREFIX, allowedShapes: { '{claims.at: {$lt: Date}, date: {$gte: string}}': `capacity reconciler: ${SWEEP}` } },
    // the pre-issue-16 counters: no longer read or written, kept listed while old databases still hold them
    capacity_counters: { ...GARAGE_ID_PREFIX, allowedShapes: { '{claims.at: {$lt: Date}, date: {$gte: string}}': `capacity reconciler: ${SWEEP}` } },
    vehicle_locks: { ...GARAGE_ID_PREFIX, allowedShapes: { '{at: {$lt: Date}}': `vehicle-lock reconciler: ${SWEEP}` } },
    customers: GARAGE,
    vehicles: GARAGE,
    services: GARAGE,
    technicians: GARAGE,
    bays: GARAGE,
    schedules: GARAGE_ID_PREFIX,
    sequences: GARAGE_ID_PREFIX,
    garage_settings: GARAGE_ID_PREFIX,
    inventory_items: GARAGE_ID_PREFIX,
  },
  inventory: {
    items: {
      ...GARAGE,
      allowedShapes: {
        '{pendingMovements.0: {$exists: boolean}}': `stock repair sweep: ${SWEEP}`,
        '{reservations.0: {$exists: boolean}}': `reservation reconciler (settles lines of ended bookings): ${SWEEP}`,
      },
    },
    movements: GARAGE,
    purchase_orders: { ...GARAGE, allowedShapes: { '{receipts.applied: boolean}': `receipt repair sweep: ${SWEEP}` } },
    settled_reservations: GARAGE_ID_PREFIX,
    booking_states: GARAGE_ID_PREFIX,
    notices: GARAGE_ID_PREFIX,
  },
  billing: {
    invoices: { ...GARAGE, allowedShapes: { '{pendingCredits.createdAt: {$lt: Date}}': `credit-note repair sweep: ${SWEEP}` } },
    creditNotes: GARAGE,
    estimates: {
      ...UNSHARDED_TENANT,
      allowedBy: { approvalTokenHash: 'the public approval link carries no garage; estimates stay unsharded (docs/scaling.md)' },
      allowedShapes: {
        '{$or: [{deliveryLeaseUntil: null}, {deliveryLeaseUntil: {$lte: Date}}], delivery.status: string}': `estimate mail sweep: ${SWEEP}`,
      },
    },
    customers: GARAGE_ID_PREFIX,
    vehicles: GARAGE_ID_PREFIX,
    counters: GARAGE_ID_PREFIX,
  },
  webhooks: {
    webhooks: { ...UNSHARDED_TENANT, allowedShapes: { '{}': `start-up re-seal of signing secrets under the newest key (pages by _id): ${SWEEP}` } },
    // shard key { _id: 'hashed' }: the delivery worker claims, renews and records by `_id` alone
    // (4+ writes a delivery, the hot path); garage listings carry garageId and are scatter-gather
    deliveries: {
      targetedBy: ['_id', 'garageId'],
      allowedShapes: {
        '{$or: [{leaseUntil: null}, {leaseUntil: {$lt: Date}}], nextAttemptAt: {$lte: Date}, status: string}': `delivery poller: ${SWEEP}`,
        '{$or: [{leaseUntil: null}, {leaseUntil: {$lt: Date}}], nextAttemptAt: {$lte: Date}, status: string, webhookId: {$nin: [string]}}': `delivery poller: ${SWEEP}`,
        '{status: {$in: [string]}, updatedAt: {$lt: Date}}': `retention purge: ${SWEEP}`,
      },
    },
  },
  gateway: {
    organisations: { exempt: 'the tenancy registry itself: looked up by id and by key owner, small, unsharded' },
    garages: { exempt: 'the tenancy registry itself: garages are found by id or organisation, small, unsharded' },
    apikeys: { exempt: 'keys are resolved by keyHash before any garage is known; global unique index, unsharded' },
    audit_records: { targetedBy: ['organisationId'] },
  },
};

/** Queries allowed on every tenant collection, by a field they mention (field → why). */
export const CROSS_TENANT_FIELDS: Readonly<Record<string, string>> = {
  'outbox.id': 'outbox relay sweep over all garages (background; scatter-gather on a sharded cluster)',
  outboxLeaseOwner: 'outbox relay releasing its own claims by _id (background; broadcast on a sharded cluster)',
};
