import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';
import { createEvent } from '@pitlane/events';

import type { ReadModelRepository } from '../data-access/read-model.repository';
import { draftEstimate, type Estimate, type EstimateInput } from '../domain/estimate';
import { estimateSummaryOf } from '../domain/summaries';
import type { Tenant, UseCaseDeps } from './deps';

/** The customer (and vehicle, which must be theirs) from billing's read models: no call to bookings. */
export async function checkParties(readModels: ReadModelRepository, garageId: string, customerId: string, vehicleId: string | null | undefined): Promise<void> {
  if (!(await readModels.findCustomer(garageId, customerId))) throw errors.notFound('Customer');
  if (!vehicleId) return;
  const vehicle = await readModels.findVehicle(garageId, vehicleId);
  if (!vehicle) throw errors.notFound('Vehicle');
  if (vehicle.customerId !== customerId) {
    throw errors.validation('The body is invalid.', [{ field: 'vehicleId', message: 'does not belong to the customer' }]);
  }
}

/** A draft estimate for a customer billing knows, with the next EST number of the garage, and
 * estimate.created, in one insert. */
export function createEstimate({ estimates, readModels, outbox }: Pick<UseCaseDeps, 'estimates' | 'readModels' | 'outbox'>) {
  return async (tenant: Tenant, input: EstimateInput): Promise<Estimate> => {
    await checkParties(readModels, tenant.garageId, input.customerId, input.vehicleId);
    const id = randomUUID();
    const estimate = await estimates.insertNumbered(tenant.garageId, (seq) => {
      const draft = draftEstimate({ id, ...tenant }, input, seq);
      const event = createEvent('billing', {
        organisationId: tenant.organisationId,
        garageId: tenant.garageId,
        type: 'estimate.created',
        data: { estimate: estimateSummaryOf(draft, 'draft') },
      });
      return { estimate: draft, events: [event] };
    });
    outbox.nudge();
    return estimate;
  };
}
