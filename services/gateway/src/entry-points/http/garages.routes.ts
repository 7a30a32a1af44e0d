import { errors, sendData, sendList } from '@pitlane/core';
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

/** `GET /garages` and `GET /garages/{gid}`: served by the gateway itself. */
export function garagesRoutes(router: Router, { tenancy }: GatewayContext): void {
  router.get('/garages', async (_req, res) => {
    const garages = await tenancy.accessibleGarages(callerOf(res).key);
    sendList(res, garages.map(garageView), { page: 1, limit: Math.max(garages.length, 1) }, garages.length);
  });
  router.get('/garages/:garageId', async (req, res) => {
    const garage = await tenancy.accessibleGarage(callerOf(res).key, req.params.garageId);
    if (!garage) throw errors.notFound('Garage');
    sendData(res, garageView(garage));
  });
}
