import { errors, parsePagination, sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import { createEstimate, findEstimate, listEstimates, sendEstimate, updateEstimate } from '../../data-access/estimate-repository';
import { findCustomer, findVehicle } from '../../data-access/read-models';
import type { Models } from '../../data-access/models';
import { localDateOf } from '../../domain/local-date';
import { createEstimateBody, estimateFilters, sendEstimateBody, updateEstimateBody } from './schemas';
import { tenantOf, type RouteDeps } from './route-deps';
import { estimateView } from './views';

const MAX_LINK_DAYS = 365;

/** The customer (and vehicle, which must be theirs) from billing's read models: no call to bookings. */
async function checkParties(models: Models, garageId: string, customerId: string, vehicleId: string | null | undefined): Promise<void> {
  if (!(await findCustomer(models.Customer, garageId, customerId))) throw errors.notFound('Customer');
  if (!vehicleId) return;
  const vehicle = await findVehicle(models.Vehicle, garageId, vehicleId);
  if (!vehicle) throw errors.notFound('Vehicle');
  if (vehicle.customerId !== customerId) {
    throw errors.validation('The body is invalid.', [{ field: 'vehicleId', message: 'does not belong to the customer' }]);
  }
}

export function estimateRoutes(router: Router, { config, models, relay }: RouteDeps): void {
  router.get('/estimates', async (req, res) => {
    const tenant = tenantOf(res);
    const pagination = parsePagination(req.query, { sortable: ['createdAt', 'number', 'total', 'status'], defaultSort: '-createdAt' });
    const filters = validate(estimateFilters, req.query, 'query');
    const now = new Date();
    const { items, total } = await listEstimates(models, {
      garageId: tenant.garageId, now, today: localDateOf(now, tenant.timezone), ...filters, ...pagination,
    });
    sendList(res, items.map((e) => estimateView(e, now)), pagination, total);
  });

  router.post('/estimates', async (req, res) => {
    const tenant = tenantOf(res);
    const body = validate(createEstimateBody, req.body, 'body');
    await checkParties(models, tenant.garageId, body.customerId, body.vehicleId);
    const estimate = await createEstimate(models, tenant, {
      customerId: body.customerId,
      vehicleId: body.vehicleId ?? null,
      bookingId: body.bookingId ?? null,
      lines: body.lines,
      validUntil: body.validUntil ?? null,
      notes: body.notes ?? null,
    });
    relay.nudge();
    sendData(res, estimateView(estimate), 201);
  });

  router.get('/estimates/:estimateId', async (req, res) => {
    const estimate = await findEstimate(models, tenantOf(res).garageId, req.params.estimateId);
    if (!estimate) throw errors.notFound('Estimate');
    sendData(res, estimateView(estimate));
  });

  router.patch('/estimates/:estimateId', async (req, res) => {
    const { garageId } = tenantOf(res);
    const body = validate(updateEstimateBody, req.body, 'body');
    if (body.customerId !== undefined || body.vehicleId) {
      const current = await findEstimate(models, garageId, req.params.estimateId);
      if (!current) throw errors.notFound('Estimate');
      await checkParties(models, garageId, body.customerId ?? current.customerId, body.vehicleId === undefined ? current.vehicleId : body.vehicleId);
    }
    sendData(res, estimateView(await updateEstimate(models, garageId, req.params.estimateId, body)));
  });

  router.post('/estimates/:estimateId/send', async (req, res) => {
    const { garageId } = tenantOf(res);
    const body = validate(sendEstimateBody, req.body ?? {}, 'body');
    const now = Date.now();
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : new Date(now + config.ESTIMATE_LINK_TTL_DAYS * 86_400_000);
    if (expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_LINK_DAYS * 86_400_000) {
      throw errors.validation('The body is invalid.', [{ field: 'expiresAt', message: `must be in the future and within ${MAX_LINK_DAYS} days` }]);
    }
    const { estimate, token } = await sendEstimate(models, garageId, req.params.estimateId, expiresAt);
    relay.nudge();
    const approvalUrl = `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/api/v1/public/estimates/${token}`;
    sendData(res, { ...estimateView(estimate), approvalUrl });
  });
}
