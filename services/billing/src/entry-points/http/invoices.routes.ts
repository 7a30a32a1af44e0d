import { errors, idempotencyKeyOf, sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import type { BillingContext } from '../../service';
import { lists } from './list-queries';
import { createInvoiceBody, recordPaymentBody, voidInvoiceBody } from './schemas';
import { tenantOf } from './tenant';
import { invoiceView, paymentView } from './views';

export function invoiceRoutes(router: Router, { repositories: { invoices, payments }, useCases }: BillingContext): void {
  router.get('/invoices', async (req, res) => {
    const { garageId } = tenantOf(res);
    const { pagination, filters } = lists.invoices.parse(req.query);
    const { items, total } = await invoices.list({ garageId, ...filters, ...pagination });
    sendList(res, items.map(invoiceView), pagination, total);
  });

  router.post('/invoices', async (req, res) => {
    const tenant = tenantOf(res);
    const body = validate(createInvoiceBody, req.body, 'body');
    const { invoice, replayed } = await useCases.createManualInvoice(tenant, {
      customerId: body.customerId,
      vehicleId: body.vehicleId ?? null,
      lines: body.lines,
      notes: body.notes ?? null,
      idempotencyKey: idempotencyKeyOf(res),
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    sendData(res, invoiceView(invoice), 201);
  });

  router.get('/invoices/:invoiceId', async (req, res) => {
    const invoice = await invoices.find(tenantOf(res).garageId, req.params.invoiceId);
    if (!invoice) throw errors.notFound('Invoice');
    sendData(res, invoiceView(invoice));
  });

  router.get('/invoices/:invoiceId/pdf', async (req, res) => {
    const { number, pdf } = await useCases.renderInvoicePdf(tenantOf(res), req.params.invoiceId);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `inline; filename="${number}.pdf"`).send(pdf);
  });

  router.post('/invoices/:invoiceId/void', async (req, res) => {
    const { garageId } = tenantOf(res);
    const body = validate(voidInvoiceBody, req.body ?? {}, 'body');
    sendData(res, invoiceView(await useCases.voidInvoice(garageId, req.params.invoiceId, body.reason ?? null)));
  });

  router.post('/invoices/:invoiceId/payments', async (req, res) => {
    const tenant = tenantOf(res);
    const body = validate(recordPaymentBody, req.body, 'body');
    const { invoice, payment, replayed } = await useCases.recordPayment(tenant, req.params.invoiceId, {
      amount: body.amount,
      method: body.method,
      reference: body.reference ?? null,
      paidAt: body.paidAt ? new Date(body.paidAt) : null,
      idempotencyKey: idempotencyKeyOf(res),
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    sendData(res, { ...paymentView(payment), invoice: invoiceView(invoice) }, 201);
  });

  router.get('/invoices/:invoiceId/payments', async (req, res) => {
    const { garageId } = tenantOf(res);
    const invoice = await invoices.find(garageId, req.params.invoiceId);
    if (!invoice) throw errors.notFound('Invoice');
    const { pagination } = lists.invoicePayments.parse(req.query);
    const { items, total } = await payments.list({ garageId, invoiceId: invoice._id, ...pagination });
    sendList(res, items.map(paymentView), pagination, total);
  });

  router.get('/payments', async (req, res) => {
    const { garageId } = tenantOf(res);
    const { pagination, filters } = lists.payments.parse(req.query);
    const { items, total } = await payments.list({ garageId, ...filters, ...pagination });
    sendList(res, items.map(paymentView), pagination, total);
  });
}
