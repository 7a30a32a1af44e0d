import { errors } from '@pitlane/core';

import type { ServiceDoc } from './catalog.model';
import type { Models } from './models';

/** Loads what a booking refers to, each scoped to the garage: anything missing is a 404. */
export async function requireCustomer(models: Models, garageId: string, id: string) {
  const customer = await models.Customer.findOne({ _id: id, garageId }).lean();
  if (!customer) throw errors.notFound('Customer');
  return customer;
}

export async function requireVehicle(models: Models, garageId: string, id: string) {
  const vehicle = await models.Vehicle.findOne({ _id: id, garageId, deletedAt: null }).lean();
  if (!vehicle) throw errors.notFound('Vehicle');
  return vehicle;
}

export async function requireTechnician(models: Models, garageId: string, id: string) {
  const technician = await models.Technician.findOne({ _id: id, garageId }).lean();
  if (!technician) throw errors.notFound('Technician');
  return technician;
}

export async function requireBay(models: Models, garageId: string, id: string) {
  const bay = await models.Bay.findOne({ _id: id, garageId }).lean();
  if (!bay) throw errors.notFound('Bay');
  return bay;
}

export async function requireBooking(models: Models, garageId: string, id: string) {
  const booking = await models.Booking.findOne({ _id: id, garageId, deletedAt: null }).lean();
  if (!booking) throw errors.notFound('Booking');
  return booking;
}

/** The booking's service lines, priced for the vehicle's type as the catalog stands now: later
 * catalog price changes do not touch bookings already made. */
export async function priceServices(models: Models, garageId: string, serviceIds: string[], vehicleType: string) {
  const unique = [...new Set(serviceIds)];
  if (unique.length === 0) return [];
  const services = await models.Service.find({ _id: { $in: unique }, garageId }).lean<ServiceDoc[]>();
  const byId = new Map(services.map((service) => [service._id, service]));
  return unique.map((id) => {
    const service = byId.get(id);
    if (!service) throw errors.notFound(`Service ${id}`);
    const price = service.prices.find((p) => p.vehicleType === vehicleType);
    if (!price || typeof price.price !== 'number') {
      throw errors.validation('The request is invalid.', [
        { field: 'serviceIds', message: `service ${id} has no price for vehicle type ${vehicleType}` },
      ]);
    }
    return {
      serviceId: service._id,
      name: service.name,
      code: service.code ?? null,
      unitPrice: price.price,
      quantity: 1,
      taxRate: service.taxRate ?? 0,
      durationMinutes: service.durationMinutes,
    };
  });
}
