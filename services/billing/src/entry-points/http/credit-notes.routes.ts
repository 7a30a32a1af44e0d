import { errors, idempotencyKeyOf, sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import type { BillingContext } from '../../service';
import { lists } from './list-queries';
import { createCreditNoteBody, recordRefundBody } from './schemas';
import { tenantOf } from './tenant';
import { creditNoteView, invoiceView, refundView } from './views';

/** Credit notes (against an invoice) and refunds (against one of its payments). */
export function creditNoteRoutes(router: Router, { repositories: { creditNotes }, useCases }: BillingContext): void {
  router.post('/invoices/:invoiceId/credit-notes', async (req, res) => {
    const tenant = tenantOf(res);
    const body = validate(createCreditNoteBody, req.body, 'body');
    const { creditNote, invoice, replayed } = await useCases.createCreditNote(tenant, req.params.invoiceId, {
      reason: body.reason,
      lines: body.lines ?? null,
      idempotencyKey: idempotencyKeyOf(res),
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    sendData(res, { ...creditNoteView(creditNote), invoice: invoiceView(invoice) }, 201);
  });

  router.get('/credit-notes', async (req, res) => {
    const { garageId } = tenantOf(res);
    const { pagination, filters } = lists.creditNotes.parse(req.query);
    const { items, total } = await creditNotes.list({ garageId, ...filters, ...pagination });
    sendList(res, items.map(creditNoteView), pagination, total);
  });

  router.get('/credit-notes/:creditNoteId', async (req, res) => {
    const creditNote = await creditNotes.find(tenantOf(res).garageId, req.params.creditNoteId);
    if (!creditNote) throw errors.notFound('Credit note');
    sendData(res, creditNoteView(creditNote));
  });

  router.get('/credit-notes/:creditNoteId/pdf', async (req, res) => {
    const { number, pdf } = await useCases.renderCreditNotePdf(tenantOf(res), req.params.creditNoteId);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `inline; filename="${number}.pdf"`).send(pdf);
  });

  router.post('/invoices/:invoiceId/payments/:paymentId/refunds', async (req, res) => {
    const tenant = tenantOf(res);
    const body = validate(recordRefundBody, req.body, 'body');
    const { invoice, refund, replayed } = await useCases.recordRefund(tenant, req.params.invoiceId, req.params.paymentId, {
      amount: body.amount,
      method: body.method ?? null,
      reason: body.reason ?? null,
      refundedAt: body.refundedAt ? new Date(body.refundedAt) : null,
      idempotencyKey: idempotencyKeyOf(res),
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    sendData(res, { ...refundView(refund), invoice: invoiceView(invoice) }, 201);
  });
}
