import { errors } from '@pitlane/core';

import type { BookingDoc } from '../data-access/booking.model';
import type { StageRow } from '../data-access/booking.repository';
import { newId } from '../data-access/ids';
import { nextStageStatus, type StageStatus } from '../domain/booking-status';
import type { GarageTenant } from '../domain/types';
import type { UseCaseDeps } from './deps';
import { bookingsEvent } from './events';

type Stage = BookingDoc['stages'][number];

/** Work stages of a booking: draft → open → in_progress → completed → invoiced → closed. */
export class Stages {
  constructor(private readonly deps: UseCaseDeps) {}

  private async require(garageId: string, bookingId: string, stageId: string): Promise<Stage> {
    const booking = await this.deps.repos.bookings.require(garageId, bookingId);
    const stage = booking.stages.find((s) => s.id === stageId);
    if (!stage) throw errors.notFound('Stage');
    return stage;
  }

  async list(garageId: string, bookingId: string): Promise<Stage[]> {
    return (await this.deps.repos.bookings.require(garageId, bookingId)).stages;
  }

  /** A stage's technician must be one of the garage's; assigning one also puts them on the booking's team. */
  private async requireTechnician(garageId: string, technicianId: string | null | undefined): Promise<void> {
    if (technicianId) await this.deps.repos.catalog.requireTechnician(garageId, technicianId);
  }

  async add(garageId: string, bookingId: string, input: { name: string; description?: string | null | undefined; technicianId?: string | null | undefined }): Promise<StageRow> {
    await this.deps.repos.bookings.require(garageId, bookingId);
    await this.requireTechnician(garageId, input.technicianId);
    const now = new Date();
    const stage: StageRow = {
      id: newId('stg'),
      name: input.name,
      description: input.description ?? null,
      technicianId: input.technicianId ?? null,
      status: 'draft',
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.repos.bookings.pushStage(garageId, bookingId, stage);
    return stage;
  }

  async update(
    garageId: string,
    bookingId: string,
    stageId: string,
    input: { name?: string | undefined; description?: string | null | undefined; technicianId?: string | null | undefined },
  ): Promise<Stage> {
    const stage = await this.require(garageId, bookingId, stageId);
    await this.requireTechnician(garageId, input.technicianId);
    const fields = {
      updatedAt: new Date(),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.technicianId !== undefined ? { technicianId: input.technicianId } : {}),
    };
    await this.deps.repos.bookings.updateStage(garageId, bookingId, stageId, fields);
    return { ...stage, ...input, updatedAt: fields.updatedAt } as Stage;
  }

  /** Work not yet started may be removed; anything further along is history billing may rely on. */
  async delete(garageId: string, bookingId: string, stageId: string): Promise<void> {
    const stage = await this.require(garageId, bookingId, stageId);
    if (stage.status !== 'draft' && stage.status !== 'open') {
      throw errors.conflict('STAGE_NOT_DELETABLE', `A ${stage.status} stage cannot be deleted; only draft or open ones.`, { status: stage.status });
    }
    await this.deps.repos.bookings.removeUnstartedStage(garageId, bookingId, stageId);
  }

  /** One step forward only, as one conditional write with its stage.status_changed event. */
  async changeStatus(tenant: GarageTenant, bookingId: string, stageId: string, to: StageStatus) {
    const stage = await this.require(tenant.garageId, bookingId, stageId);
    const from = stage.status as StageStatus;
    const next = nextStageStatus(from);
    if (next !== to) {
      throw errors.conflict('INVALID_STATUS_TRANSITION', `A ${from} stage cannot become ${to}.`, { from, to, allowed: next ? [next] : [] });
    }
    const now = new Date();
    const event = bookingsEvent(tenant, 'stage.status_changed', { bookingId, stageId, from, to });
    if (!(await this.deps.repos.bookings.setStageStatus(tenant.garageId, bookingId, stageId, from, to, now, event))) {
      throw errors.conflict('BOOKING_CHANGED', 'The stage was changed by another request; retry.');
    }
    this.deps.relay.nudge();
    return { ...stage, status: to, updatedAt: now };
  }
}
