import { errors, timestampFilter, type Pagination } from '@pitlane/core';
import type { Model } from 'mongoose';

import type { BayDoc, ServiceDoc, TechnicianDoc } from './catalog.model';
import type { Models } from './models';

type BayFields = { name?: string | undefined; type?: string | null | undefined; outOfService?: boolean | undefined };

/** Services (priced per vehicle type), technicians and bays of a garage. */
export class CatalogRepository {
  constructor(private readonly models: Pick<Models, 'Service' | 'Technician' | 'Bay'>) {}

  async createService(doc: { garageId: string; currency: string; name: string; code?: string | null | undefined; durationMinutes: number; prices: { vehicleType: string; price: number }[]; taxRate?: number | undefined }): Promise<ServiceDoc> {
    return (await this.models.Service.create(doc)).toObject<ServiceDoc>();
  }

  async requireService(garageId: string, id: string): Promise<ServiceDoc> {
    const service = await this.models.Service.findOne({ _id: id, garageId }).lean<ServiceDoc>();
    if (!service) throw errors.notFound('Service');
    return service;
  }

  /** The garage's services among the ids (missing ones are simply absent). */
  servicesByIds(garageId: string, ids: string[]): Promise<ServiceDoc[]> {
    return this.models.Service.find({ _id: { $in: ids }, garageId }).lean<ServiceDoc[]>().exec();
  }

  async createTechnician(doc: { garageId: string; name: string; email?: string | null | undefined; skills?: string[] | undefined }): Promise<TechnicianDoc> {
    return (await this.models.Technician.create(doc)).toObject<TechnicianDoc>();
  }

  async requireTechnician(garageId: string, id: string): Promise<TechnicianDoc> {
    const technician = await this.models.Technician.findOne({ _id: id, garageId }).lean<TechnicianDoc>();
    if (!technician) throw errors.notFound('Technician');
    return technician;
  }

  /** The garage's technicians among the ids (missing ones are simply absent). */
  techniciansByIds(garageId: string, ids: string[]): Promise<TechnicianDoc[]> {
    return this.models.Technician.find({ _id: { $in: ids }, garageId }).lean<TechnicianDoc[]>().exec();
  }

  findTechnician(garageId: string, id: string): Promise<TechnicianDoc | null> {
    return this.models.Technician.findOne({ _id: id, garageId }).lean<TechnicianDoc>().exec();
  }

  async createBay(doc: BayFields & { garageId: string; name: string }): Promise<BayDoc> {
    return (await this.models.Bay.create(doc)).toObject<BayDoc>();
  }

  async requireBay(garageId: string, id: string): Promise<BayDoc> {
    const bay = await this.models.Bay.findOne({ _id: id, garageId }).lean<BayDoc>();
    if (!bay) throw errors.notFound('Bay');
    return bay;
  }

  async updateBay(garageId: string, id: string, set: BayFields): Promise<void> {
    await this.models.Bay.updateOne({ _id: id, garageId }, { $set: set });
  }

  /** One page of a catalog resource; `_id` breaks sort ties so pages are stable. */
  async list<T>(kind: 'Service' | 'Technician' | 'Bay', garageId: string, pagination: Pagination): Promise<{ items: T[]; total: number }> {
    const model = this.models[kind] as unknown as Model<Record<string, unknown>>;
    const filter = { garageId, ...timestampFilter(pagination) };
    const [items, total] = await Promise.all([
      model.find(filter).sort({ ...pagination.sort, _id: 1 }).skip(pagination.skip).limit(pagination.limit).lean<T[]>(),
      model.countDocuments(filter),
    ]);
    return { items, total };
  }
}
