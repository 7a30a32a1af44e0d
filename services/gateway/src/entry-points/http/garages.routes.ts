import { errors, listQuery, sendArrayPage, sendData } from '@pitlane/core';
import type { Router } from 'express';

import type { Garage } from '../../data-access/tenancy.model';
import type { GatewayContext } from '../../service';
import { callerOf } from './authenticate';

export function garageView(garage: Garage) {
  return {
    id: garage._id,
    name: garage.name,
    phone: garage.phone ?? null,
    email: garage.email ?? null,
    address: garage.address ?? null,
    timezone: garage.timezone,
    currency: garage.currency,
    createdAt: garage.createdAt,
    updatedAt: garage.updatedAt,
  };
}

/** a key reaches a handful of garages, read whole (by name) and paged here */
export const garageList = listQuery({ sortable: [], defaultSort: '', timestamps: false });

/** `GET /garages` and `GET /garages/{gid}`: served by the gateway itself. */
export function garagesRoutes(router: Router, { tenancy }: GatewayContext): void {
  router.get('/garages', async (req, res) => {
    const { pagination } = garageList.parse(req.query);
    const garages = await tenancy.accessibleGarages(callerOf(res).key);
    sendArrayPage(res, garages.map(garageView), pagination);
  });
  router.get('/garages/:garageId', async (req, res) => {
    const garage = await tenancy.accessibleGarage(callerOf(res).key, req.params.garageId);
    if (!garage) throw errors.notFound('Garage');
    sendData(res, garageView(garage));
  });
}
