import { randomUUID } from 'node:crypto';

import { currentContext } from '@pitlane/core';
import { z } from 'zod';

/** Which aggregate an event is about, and the event's sequence number in it (see ordering.ts). */
export const aggregateRefSchema = z.object({
  type: z.string().min(1),
  id: z.string().min(1),
  seq: z.number().int().positive(),
});
export type AggregateRef = z.infer<typeof aggregateRefSchema>;

/** API.md's event envelope, version 1. `data` is validated per type by the consumer's schema. */
export const eventEnvelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'must be a dotted past-tense name like booking.created'),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  organisationId: z.string().min(1),
  garageId: z.string().min(1).nullable(),
  source: z.string().min(1),
  requestId: z.string().nullable(),
  /**
   * The aggregate the event belongs to and its position in that aggregate's history: `seq` is
   * 1, 2, 3… per aggregate, assigned in the same single-document write that stores the event in the
   * outbox. Optional: events written before sequence numbers (and events of no aggregate) omit it.
   */
  aggregate: aggregateRefSchema.optional(),
  data: z.unknown(),
});

export type EventEnvelope<T = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & { data: T };

export interface NewEvent<T> {
  type: string;
  data: T;
  organisationId: string;
  garageId: string | null;
  version?: number;
  /** defaults to the current request's id, so a partner can follow a request into its events */
  requestId?: string | null;
}

/** Builds an envelope with a fresh id. Store it in the outbox in the same write as the change. */
export function createEvent<T>(source: string, event: NewEvent<T>): EventEnvelope<T> {
  return {
    id: randomUUID(),
    type: event.type,
    version: event.version ?? 1,
    occurredAt: new Date().toISOString(),
    organisationId: event.organisationId,
    garageId: event.garageId,
    source,
    requestId: event.requestId ?? currentContext()?.requestId ?? null,
    data: event.data,
  };
}
