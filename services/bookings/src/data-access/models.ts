import type { Connection } from 'mongoose';

import { registerBookingModel } from './booking.model';
import { registerCapacityModels } from './capacity.model';
import { registerCatalogModels } from './catalog.model';
import { registerCustomerModel } from './customer.model';
import { registerGarageSettingsModel } from './garage-settings.model';
import { registerInventoryItemModel } from './inventory-item.model';
import { registerScheduleModel } from './schedule.model';
import { registerVehicleModel } from './vehicle.model';

/** The bookings service's mongoose models, registered on its own connection. */
export function registerModels(connection: Connection) {
  return {
    Customer: registerCustomerModel(connection),
    Vehicle: registerVehicleModel(connection),
    Booking: registerBookingModel(connection),
    Schedule: registerScheduleModel(connection),
    InventoryItem: registerInventoryItemModel(connection),
    GarageSettings: registerGarageSettingsModel(connection),
    ...registerCapacityModels(connection),
    ...registerCatalogModels(connection),
  };
}

export type Models = ReturnType<typeof registerModels>;

/** The models whose documents carry outbox events. */
export function outboxModels(models: Models) {
  return [models.Customer, models.Vehicle, models.Booking];
}
