import type { ListOrder } from '@pitlane/core';
import type { Connection } from 'mongoose';

import { AttachmentRepository } from './attachment.repository';
import { BookingHistoryRepository } from './booking-history.repository';
import { BookingRepository } from './booking.repository';
import { CapacityRepository } from './capacity.repository';
import { CatalogRepository } from './catalog.repository';
import { CustomerRepository } from './customer.repository';
import { GarageSettingsRepository } from './garage-settings.repository';
import { InventoryItemRepository } from './inventory-item.repository';
import type { Models } from './models';
import { ScheduleRepository } from './schedule.repository';
import { VehicleRepository } from './vehicle.repository';

/** Every repository of the service over its models, built once by the composition root (service.ts). */
export function createRepositories(models: Models, connection: Connection, listOrder: ListOrder = 'index') {
  return {
    customers: new CustomerRepository(models, listOrder),
    vehicles: new VehicleRepository(models, listOrder),
    bookings: new BookingRepository(models, listOrder),
    bookingHistory: new BookingHistoryRepository(models),
    schedules: new ScheduleRepository(models),
    settings: new GarageSettingsRepository(models),
    catalog: new CatalogRepository(models),
    capacity: new CapacityRepository(models),
    inventoryItems: new InventoryItemRepository(models),
    attachments: new AttachmentRepository(connection),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
