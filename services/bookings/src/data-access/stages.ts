import { errors } from '@pitlane/core';
import { withEvents } from '@pitlane/events';

import { nextStageStatus, type StageStatus } from '../domain/booking-status';
import type { BookingDoc } from './booking.model';
import type { Ctx } from './context';
import type { GarageTenant } from './create-booking';
import { bookingsEvent } from './events';
import { newId } from './ids';
import { requireBooking } from './lookups';

type Stage = BookingDoc['stages'][number];

async function requireStage(ctx: Ctx, garageId: string, bookingId: string, stageId: string): Promise<Stage> {
  const booking = await requireBooking(ctx.models, garageId, bookingId);
  const stage = booking.stages.find((s) => s.id === stageId);
  if (!stage) throw errors.notFound('Stage');
  return stage;
}

export async function listStages(ctx: Ctx, garageId: string, bookingId: string) {
  return (await requireBooking(ctx.models, garageId, bookingId)).stages;
}

export async function addStage(ctx: Ctx, garageId: string, bookingId: string, input: { name: string; description?: string | null | undefined }) {
  await requireBooking(ctx.models, garageId, bookingId);
  const now = new Date();
  const stage = { id: newId('stg'), name: input.name, description: input.description ?? null, status: 'draft', createdAt: now, updatedAt: now };
  await ctx.models.Booking.updateOne({ _id: bookingId, garageId, deletedAt: null }, { $push: { stages: stage } });
  return stage;
}

export async function updateStage(ctx: Ctx, garageId: string, bookingId: string, stageId: string, input: { name?: string | undefined; description?: string | null | undefined }) {
  const stage = await requireStage(ctx, garageId, bookingId, stageId);
  const set: Record<string, unknown> = { 'stages.$.updatedAt': new Date() };
  if (input.name !== undefined) set['stages.$.name'] = input.name;
  if (input.description !== undefined) set['stages.$.description'] = input.description;
  await ctx.models.Booking.updateOne({ _id: bookingId, garageId, 'stages.id': stageId }, { $set: set });
  return { ...stage, ...input, updatedAt: set['stages.$.updatedAt'] as Date };
}

/** Work not yet started may be removed; anything further along is history billing may rely on. */
export async function deleteStage(ctx: Ctx, garageId: string, bookingId: string, stageId: string): Promise<void> {
  const stage = await requireStage(ctx, garageId, bookingId, stageId);
  if (stage.status !== 'draft' && stage.status !== 'open') {
    throw errors.conflict('STAGE_NOT_DELETABLE', `A ${stage.status} stage cannot be deleted; only draft or open ones.`, { status: stage.status });
  }
  await ctx.models.Booking.updateOne({ _id: bookingId, garageId }, { $pull: { stages: { id: stageId, status: { $in: ['draft', 'open'] } } } });
}

/** One step forward only (draft → open → in_progress → completed → invoiced → closed), as one
 * conditional write with its stage.status_changed event. */
export async function changeStageStatus(ctx: Ctx, tenant: GarageTenant, bookingId: string, stageId: string, to: StageStatus) {
  const stage = await requireStage(ctx, tenant.garageId, bookingId, stageId);
  const from = stage.status as StageStatus;
  const next = nextStageStatus(from);
  if (next !== to) {
    throw errors.conflict('INVALID_STATUS_TRANSITION', `A ${from} stage cannot become ${to}.`, { from, to, allowed: next ? [next] : [] });
  }
  const now = new Date();
  const result = await ctx.models.Booking.updateOne(
    { _id: bookingId, garageId: tenant.garageId, deletedAt: null, stages: { $elemMatch: { id: stageId, status: from } } },
    withEvents<BookingDoc>(
      { $set: { 'stages.$[stage].status': to, 'stages.$[stage].updatedAt': now } },
      bookingsEvent(tenant, 'stage.status_changed', { bookingId, stageId, from, to }),
    ),
    { arrayFilters: [{ 'stage.id': stageId, 'stage.status': from }] },
  );
  if (result.matchedCount === 0) throw errors.conflict('BOOKING_CHANGED', 'The stage was changed by another request; retry.');
  ctx.relay.nudge();
  return { ...stage, status: to, updatedAt: now };
}
