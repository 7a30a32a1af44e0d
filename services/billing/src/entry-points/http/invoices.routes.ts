import { errors, parsePagination, sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import { findInvoice, listInvoices } from '../../data-access/invoice-repository';
import { listPayments, recordPayment, voidInvoice } from '../../data-access/payment-repository';
import { renderInvoicePdf } from '../../domain/invoice-pdf';
import { localDateOf } from '../../domain/local-date';
import { idempotencyKeyOf, invoiceFilters, paymentFilters, recordPaymentBody, voidInvoiceBody } from './schemas';
import { tenantOf, type RouteDeps } from './route-deps';
import { invoiceView, paymentView } from './views';

/** Clock skew tolerated on a client's paidAt before it counts as "in the future". */
const PAID_AT_SKEW_MS = 5 * 60_000;

export function invoiceRoutes(router: Router, { models, relay }: RouteDeps): void {
  router.get('/invoices', async (req, res) => {
    const { garageId } = tenantOf(res);
    const pagination = parsePagination(req.query, {
      sortable: ['createdAt', 'issueDate', 'number', 'total', 'balance', 'status'],
      defaultSort: '-issueDate,-number',
    });
    const filters = validate(invoiceFilters, req.query, 'query');
    const { items, total } = await listInvoices(models, { garageId, ...filters, ...pagination });
    sendList(res, items.map(invoiceView), pagination, total);
  });

  router.get('/invoices/:invoiceId', async (req, res) => {
    const invoice = await findInvoice(models, tenantOf(res).garageId, req.params.invoiceId);
    if (!invoice) throw errors.notFound('Invoice');
    sendData(res, invoiceView(invoice));
  });

  router.get('/invoices/:invoiceId/pdf', async (req, res) => {
    const tenant = tenantOf(res);
    const invoice = await findInvoice(models, tenant.garageId, req.params.invoiceId);
    if (!invoice) throw errors.notFound('Invoice');
    const pdf = await renderInvoicePdf(invoice, { garageName: tenant.garageName, timezone: tenant.timezone });
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `inline; filename="${invoice.number}.pdf"`).send(pdf);
  });

  router.post('/invoices/:invoiceId/void', async (req, res) => {
    const { garageId } = tenantOf(res);
    const body = validate(voidInvoiceBody, req.body ?? {}, 'body');
    const invoice = await voidInvoice(models, garageId, req.params.invoiceId, body.reason ?? null);
    relay.nudge();
    sendData(res, invoiceView(invoice));
  });

  router.post('/invoices/:invoiceId/payments', async (req, res) => {
    const tenant = tenantOf(res);
    const body = validate(recordPaymentBody, req.body, 'body');
    const paidAt = body.paidAt ? new Date(body.paidAt) : new Date();
    if (paidAt.getTime() > Date.now() + PAID_AT_SKEW_MS) {
      throw errors.validation('The body is invalid.', [{ field: 'paidAt', message: 'must not be in the future' }]);
    }
    const idempotencyKey = idempotencyKeyOf(req.header('idempotency-key'));
    const { invoice, payment, replayed } = await recordPayment(models, tenant.garageId, req.params.invoiceId, {
      amount: body.amount,
      method: body.method,
      reference: body.reference ?? null,
      paidAt,
      paidOn: localDateOf(paidAt, tenant.timezone),
      idempotencyKey,
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    else relay.nudge();
    sendData(res, { ...paymentView(payment), invoice: invoiceView(invoice) }, 201);
  });

  router.get('/invoices/:invoiceId/payments', async (req, res) => {
    const { garageId } = tenantOf(res);
    const invoice = await findInvoice(models, garageId, req.params.invoiceId);
    if (!invoice) throw errors.notFound('Invoice');
    const pagination = parsePagination(req.query, { sortable: ['paidAt', 'amount'], defaultSort: 'paidAt' });
    const { items, total } = await listPayments(models, { garageId, invoiceId: invoice._id, ...pagination });
    sendList(res, items.map(paymentView), pagination, total);
  });

  router.get('/payments', async (req, res) => {
    const { garageId } = tenantOf(res);
    const pagination = parsePagination(req.query, { sortable: ['paidAt', 'amount', 'createdAt'], defaultSort: '-paidAt' });
    const filters = validate(paymentFilters, req.query, 'query');
    const { items, total } = await listPayments(models, { garageId, ...filters, ...pagination });
    sendList(res, items.map(paymentView), pagination, total);
  });
}
