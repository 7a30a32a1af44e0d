import { errors, sendData, sendList, todayIn, validate } from '@pitlane/core';
import type { Router } from 'express';

import type { BillingContext } from '../../service';
import { lists } from './list-queries';
import { createEstimateBody, sendEstimateBody, updateEstimateBody } from './schemas';
import { tenantOf } from './tenant';
import { estimateView } from './views';

export function estimateRoutes(router: Router, { repositories: { estimates }, useCases }: BillingContext): void {
  router.get('/estimates', async (req, res) => {
    const tenant = tenantOf(res);
    const { pagination, filters } = lists.estimates.parse(req.query);
    const now = new Date();
    const { items, total } = await estimates.list({ garageId: tenant.garageId, now, today: todayIn(tenant.timezone, now), ...filters, ...pagination });
    sendList(res, items.map((e) => estimateView(e, now)), pagination, total);
  });

  router.post('/estimates', async (req, res) => {
    const tenant = tenantOf(res);
    const body = validate(createEstimateBody, req.body, 'body');
    const estimate = await useCases.createEstimate(tenant, {
      customerId: body.customerId,
      vehicleId: body.vehicleId ?? null,
      bookingId: body.bookingId ?? null,
      lines: body.lines,
      validUntil: body.validUntil ?? null,
      notes: body.notes ?? null,
    });
    sendData(res, estimateView(estimate), 201);
  });

  router.get('/estimates/:estimateId', async (req, res) => {
    const estimate = await estimates.find(tenantOf(res).garageId, req.params.estimateId);
    if (!estimate) throw errors.notFound('Estimate');
    sendData(res, estimateView(estimate));
  });

  router.patch('/estimates/:estimateId', async (req, res) => {
    const { garageId } = tenantOf(res);
    const body = validate(updateEstimateBody, req.body, 'body');
    sendData(res, estimateView(await useCases.updateEstimate(garageId, req.params.estimateId, body)));
  });

  router.post('/estimates/:estimateId/send', async (req, res) => {
    const body = validate(sendEstimateBody, req.body ?? {}, 'body');
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    const { estimate, approvalUrl, delivery } = await useCases.sendEstimate(tenantOf(res), req.params.estimateId, { expiresAt, to: body.to ?? null });
    sendData(res, { ...estimateView(estimate), approvalUrl, delivery });
  });
}
