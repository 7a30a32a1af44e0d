import { errors } from '@pitlane/core';

import { effectiveStatus, isOpen, priceLines, type Estimate, type EstimateInput } from '../domain/estimate';
import { checkParties } from './create-estimate';
import type { UseCaseDeps } from './deps';

/** PATCH: only while draft or sent; a change to a sent estimate takes it back to draft and kills its
 * link (the customer must see what they approve), so it has to be sent again. Compare-and-set on the
 * revision: a concurrent change makes this one a 409, never a silent overwrite. */
export function updateEstimate({ estimates, readModels }: Pick<UseCaseDeps, 'estimates' | 'readModels'>) {
  return async (garageId: string, estimateId: string, changes: Partial<EstimateInput>): Promise<Estimate> => {
    const estimate = await estimates.find(garageId, estimateId);
    if (!estimate) throw errors.notFound('Estimate');
    if (changes.customerId !== undefined || changes.vehicleId) {
      const vehicleId = changes.vehicleId === undefined ? estimate.vehicleId : changes.vehicleId;
      await checkParties(readModels, garageId, changes.customerId ?? estimate.customerId, vehicleId);
    }
    const status = effectiveStatus(estimate, new Date());
    if (!isOpen(status)) {
      throw errors.conflict('INVALID_STATUS_TRANSITION', `Estimate ${estimate.number} is ${status} and can no longer be changed.`, { status, allowed: [] });
    }
    const { lines: lineInputs, ...fields } = changes;
    const priced = lineInputs ? priceLines(lineInputs) : undefined;
    const set = { ...fields, ...(priced ? { lines: priced.lines, ...priced.totals } : {}), status: 'draft' as const, sentAt: null, expiresAt: null };
    if (!(await estimates.changeAtRevision(estimate, { set, clearToken: true }))) {
      throw errors.conflict('CONCURRENT_UPDATE', `Estimate ${estimate.number} was changed meanwhile; read it again and retry.`);
    }
    return { ...estimate, ...set, revision: estimate.revision + 1, updatedAt: new Date() };
  };
}
