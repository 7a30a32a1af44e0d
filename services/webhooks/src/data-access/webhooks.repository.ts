import { timestampFilter, type Pagination, type TimestampRange } from '@pitlane/core';
import { createEvent, withEvents } from '@pitlane/events';
import type { QueryFilter } from 'mongoose';

import type { DisableGuard } from '../domain/auto-disable';
import { DISABLED_EVENT_TYPE } from '../domain/event-filter';
import type { SecretBox } from '../domain/secret-box';
import type { Models, WebhookDoc } from './models';
import { TtlCache } from './ttl-cache';

/** What a worker needs to send to an endpoint (a snapshot; re-read on each claim). */
export interface Endpoint {
  id: string;
  garageId: string;
  organisationId: string;
  url: string;
  events: string[];
  status: string;
  rateLimit: number | null;
  /** bumped by every disable; deliveries carry the epoch they were made for */
  epoch: number;
  /** the current secret first, then the previous one while its rotation overlap lasts */
  secrets: string[];
}

export interface WebhookInput {
  url: string;
  events: string[];
  description?: string | null;
  rateLimit?: number | null;
}

export interface Tenant {
  garageId: string;
  organisationId: string;
}

const WITH_SECRETS = '+secret +previousSecret';

export interface SendState {
  status: string;
  epoch: number;
}

/**
 * Subscriptions of one garage; every query is filtered by garageId (tenant isolation). An endpoint's
 * send state (read per attempt) is cached for `cacheMs` (WEBHOOK_STATE_CACHE_MS, 1 s): a change made
 * through this instance drops its entry at once, one made through another instance is seen at most
 * `cacheMs` later (see services/webhooks/README.md). A garage's subscriptions (read per event) are
 * not cached: a subscription created through one instance must receive the very next event, even
 * one that another instance consumes.
 */
export class WebhooksRepository {
  private readonly states: TtlCache<SendState | null>;

  constructor(
    private readonly models: Models,
    private readonly secrets: SecretBox,
    cacheMs = 0,
  ) {
    this.states = new TtlCache(cacheMs);
  }

  /** After a write through this instance: its next reads go to the database. */
  private forget(id: string): void {
    this.states.delete(id);
  }

  private toEndpoint(doc: WebhookDoc, now = new Date()): Endpoint {
    const previousValid = doc.previousSecret && doc.previousSecretExpiresAt && doc.previousSecretExpiresAt > now;
    const stored = previousValid ? [doc.secret, doc.previousSecret as string] : [doc.secret];
    return {
      id: doc._id,
      garageId: doc.garageId,
      organisationId: doc.organisationId,
      url: doc.url,
      events: doc.events,
      status: doc.status,
      rateLimit: doc.rateLimit ?? null,
      epoch: doc.epoch ?? 0,
      secrets: stored.map((secret) => this.secrets.open(secret)),
    };
  }

  /** `secret` is stored sealed (see SecretBox). */
  async create(tenant: Tenant, input: WebhookInput, secret: string): Promise<WebhookDoc> {
    const created = await this.models.Webhook.create({ ...tenant, ...input, secret: this.secrets.seal(secret) });
    this.forget(created._id);
    return created.toObject();
  }

  async list(garageId: string, status: 'active' | 'disabled' | undefined, { skip, limit, sort, ...stamps }: Pick<Pagination, 'skip' | 'limit' | 'sort'> & TimestampRange) {
    const filter = { garageId, ...(status ? { status } : {}), ...timestampFilter(stamps) };
    const [items, total] = await Promise.all([
      this.models.Webhook.find(filter).sort({ ...sort, _id: 1 }).skip(skip).limit(limit).lean<WebhookDoc[]>(),
      this.models.Webhook.countDocuments(filter),
    ]);
    return { items, total };
  }

  get(garageId: string, id: string): Promise<WebhookDoc | null> {
    return this.models.Webhook.findOne({ _id: id, garageId }).lean<WebhookDoc>();
  }

  async update(garageId: string, id: string, changes: Partial<WebhookInput> & { status?: 'active' | 'disabled' }) {
    const set: Record<string, unknown> = { ...changes };
    if (changes.status === 'active') {
      // re-enabling starts a clean failure record, else the next failure disables it again at once
      Object.assign(set, { disabledReason: null, disabledAt: null, failingSince: null, consecutiveFailures: 0 });
    } else if (changes.status === 'disabled') {
      Object.assign(set, { disabledReason: 'disabled by the partner', disabledAt: new Date() });
    }
    // a disable starts a new epoch: what was pending for the old one is never sent by itself
    const update = changes.status === 'disabled' ? { $set: set, $inc: { epoch: 1 } } : { $set: set };
    const result = await this.models.Webhook.updateOne({ _id: id, garageId }, update);
    this.forget(id);
    return result.matchedCount === 1 ? this.get(garageId, id) : null;
  }

  async delete(garageId: string, id: string): Promise<boolean> {
    const deleted = (await this.models.Webhook.deleteOne({ _id: id, garageId })).deletedCount === 1;
    this.forget(id);
    return deleted;
  }

  /** `secret` becomes the current one; the old one keeps signing (next to it) until the overlap ends. */
  async rotateSecret(garageId: string, id: string, secret: string, overlapMs: number): Promise<{ previousSecretExpiresAt: Date } | null> {
    const current = await this.models.Webhook.findOne({ _id: id, garageId }).select(WITH_SECRETS).lean<WebhookDoc>();
    if (!current) return null;
    const previousSecretExpiresAt = new Date(Date.now() + overlapMs);
    // conditional on the secret we read: two concurrent rotations cannot both "keep" the same previous secret
    const result = await this.models.Webhook.updateOne(
      { _id: id, garageId, secret: current.secret },
      // the kept secret is re-sealed too, so a legacy plain-text value does not survive a rotation
      { $set: { secret: this.secrets.seal(secret), previousSecret: this.secrets.reseal(current.secret), previousSecretExpiresAt } },
    );
    if (result.matchedCount === 0) return this.rotateSecret(garageId, id, secret, overlapMs);
    this.forget(id);
    return { previousSecretExpiresAt };
  }

  /** The active subscriptions of each garage. Read per batch of events, not cached (see the class). */
  async activeForGarages(garageIds: string[]): Promise<Map<string, Endpoint[]>> {
    const docs = await this.models.Webhook.find({ garageId: { $in: garageIds }, status: 'active' }).select(WITH_SECRETS).lean<WebhookDoc[]>();
    const now = new Date();
    const byGarage = new Map<string, Endpoint[]>();
    for (const doc of docs) {
      const endpoints = byGarage.get(doc.garageId) ?? [];
      endpoints.push(this.toEndpoint(doc, now));
      byGarage.set(doc.garageId, endpoints);
    }
    return byGarage;
  }

  async endpoint(garageId: string, id: string): Promise<Endpoint | null> {
    const doc = await this.models.Webhook.findOne({ _id: id, garageId }).select(WITH_SECRETS).lean<WebhookDoc>();
    return doc ? this.toEndpoint(doc) : null;
  }

  async endpointsByIds(ids: string[]): Promise<Map<string, Endpoint>> {
    const docs = await this.models.Webhook.find({ _id: { $in: ids } }).select(WITH_SECRETS).lean<WebhookDoc[]>();
    const now = new Date();
    return new Map(docs.map((doc) => [doc._id, this.toEndpoint(doc, now)]));
  }

  /** A success ends a failure streak; conditional, so a healthy endpoint costs a cheap no-op. */
  async recordSuccess(id: string): Promise<void> {
    await this.models.Webhook.updateOne(
      { _id: id, $or: [{ failingSince: { $ne: null } }, { consecutiveFailures: { $gt: 0 } }] },
      { $set: { failingSince: null, consecutiveFailures: 0, lastSuccessAt: new Date() } },
    );
  }

  /** A failed attempt starts the failure period if none is running. */
  async recordFailedAttempt(id: string, at: Date): Promise<void> {
    await this.models.Webhook.updateOne({ _id: id, failingSince: null }, { $set: { failingSince: at } });
  }

  async recordFailedDelivery(id: string): Promise<void> {
    await this.models.Webhook.updateOne({ _id: id }, { $inc: { consecutiveFailures: 1 } });
  }

  /**
   * Reserves the next send slot of a rate-limited endpoint, shared by all instances: first lift
   * the slot to now if it lies in the past, then take it and push it one interval on ($inc is
   * atomic, so two workers never get the same slot). By `_id` only, two cheap writes.
   */
  async reserveSendSlot(id: string, intervalMs: number): Promise<number> {
    const now = Date.now();
    await this.models.Webhook.collection.updateOne({ _id: id as never }, { $max: { nextSendAt: now } });
    const before = await this.models.Webhook.collection.findOneAndUpdate(
      { _id: id as never },
      { $inc: { nextSendAt: intervalMs } },
      { returnDocument: 'before', projection: { nextSendAt: 1 } },
    );
    return typeof before?.nextSendAt === 'number' ? before.nextSendAt : now;
  }

  /**
   * Right before each attempt: is the subscription still there, active, and in the epoch the
   * delivery was made for? One read by `_id` alone (the stand-in's only indexed lookup), through
   * the driver, two fields; cached (see the class) unless `fresh`.
   */
  sendState(id: string, { fresh = false } = {}): Promise<SendState | null> {
    if (fresh) this.states.delete(id);
    return this.states.get(id, async () => {
      const doc = await this.models.Webhook.collection.findOne({ _id: id as never }, { projection: { status: 1, epoch: 1 } });
      return doc ? { status: String(doc.status), epoch: typeof doc.epoch === 'number' ? doc.epoch : 0 } : null;
    });
  }

  failureState(id: string) {
    return this.models.Webhook.findOne({ _id: id })
      .select({ status: 1, failingSince: 1, consecutiveFailures: 1 })
      .lean<Pick<WebhookDoc, 'status' | 'failingSince' | 'consecutiveFailures'>>();
  }

  /**
   * Disables an active endpoint if `guard` still holds, with its webhook.disabled event in the same
   * write (outbox): exactly one instance wins, so the event is published once.
   */
  async disableIf(id: string, guard: DisableGuard, reason: string): Promise<boolean> {
    const doc = await this.models.Webhook.findOne({ _id: id }).lean<WebhookDoc>();
    if (!doc) return false;
    const disabledAt = new Date();
    const event = createEvent('webhooks', {
      type: DISABLED_EVENT_TYPE,
      organisationId: doc.organisationId,
      garageId: doc.garageId,
      requestId: null,
      data: { webhookId: doc._id, url: doc.url, reason, disabledAt: disabledAt.toISOString() },
    });
    const result = await this.models.Webhook.updateOne(
      { $and: [{ _id: id, status: 'active' }, filterOf(guard)] } as QueryFilter<WebhookDoc>,
      withEvents<WebhookDoc>({ $set: { status: 'disabled', disabledReason: reason, disabledAt }, $inc: { epoch: 1 } }, event),
    );
    this.forget(id);
    return result.modifiedCount === 1;
  }
}

function filterOf(guard: DisableGuard): QueryFilter<WebhookDoc> {
  if (guard.kind === 'consecutive_failures') return { consecutiveFailures: { $gte: guard.atLeast } };
  if (guard.kind === 'failing_since') return { failingSince: { $lte: guard.notAfter } };
  return {};
}
