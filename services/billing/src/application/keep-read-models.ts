import type { EventData } from '@pitlane/contracts';

import type { SnapshotOutcome, SnapshotSource } from '../data-access/read-model.repository';
import type { UseCaseDeps } from './deps';

/** customer.created/updated: billing's copy of the customer, so estimates can check it without
 * calling bookings; an older event never overwrites a newer copy ('duplicate'). */
export function keepCustomer({ readModels }: Pick<UseCaseDeps, 'readModels'>) {
  return (source: SnapshotSource, customer: EventData<'customer.created'>['customer']): Promise<SnapshotOutcome> =>
    readModels.upsertCustomer(source, customer);
}

/** vehicle.created/updated/deleted: billing's copy of the vehicle; a deleted one stays as a tombstone. */
export function keepVehicle({ readModels }: Pick<UseCaseDeps, 'readModels'>) {
  return (source: SnapshotSource, vehicle: EventData<'vehicle.created'>['vehicle'], deleted = false): Promise<SnapshotOutcome> =>
    readModels.upsertVehicle(source, vehicle, deleted);
}
