import { errorEnvelopeSchema, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import {
  answerBody,
  createCreditNoteBody,
  createEstimateBody,
  createInvoiceBody,
  recordPaymentBody,
  recordRefundBody,
  sendEstimateBody,
  updateEstimateBody,
  voidInvoiceBody,
} from './schemas';

/** The billing paths in the OpenAPI document, with their request bodies (registered once per process). */
const base = '/garages/{garageId}';
const garageId = z.object({ garageId: z.string() });
const withId = (name: string) => garageId.extend({ [name]: z.string() });
const token = z.object({ token: z.string() });
const error = (description: string) => ({ description, content: { 'application/json': { schema: errorEnvelopeSchema } } });
const responses = (description: string) => ({
  200: { description, content: { 'application/json': { schema: z.object({ success: z.literal(true), data: z.unknown() }) } } },
  400: error('Validation failed'),
  404: error('Not found'),
  409: error(
    'Conflict (PAYMENT_EXCEEDS_BALANCE, INVOICE_NOT_PAYABLE, CREDIT_EXCEEDS_INVOICE, INVOICE_NOT_CREDITABLE, REFUND_EXCEEDS_PAYMENT, IDEMPOTENCY_KEY_REUSED, ESTIMATE_EXPIRED, ESTIMATE_ALREADY_ANSWERED, …)',
  ),
});
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });

type PathEntry = [method: 'get' | 'post' | 'patch', path: string, summary: string, params: z.ZodObject, requestBody?: z.ZodType];

const paths: PathEntry[] = [
  ['get', `${base}/estimates`, 'List estimates (status, customerId, dateFrom, dateTo, sort, pagination)', garageId],
  ['post', `${base}/estimates`, 'Create a draft estimate', garageId, createEstimateBody],
  ['get', `${base}/estimates/{eid}`, 'Get an estimate', withId('eid')],
  ['patch', `${base}/estimates/{eid}`, 'Change a draft or sent estimate (a sent one goes back to draft)', withId('eid'), updateEstimateBody],
  ['post', `${base}/estimates/{eid}/send`, 'Send an estimate: e-mails the approval link (delivery sent | sending | no_recipient)', withId('eid'), sendEstimateBody],
  ['get', '/public/estimates/{token}', 'The estimate behind an approval link (no API key)', token],
  ['post', '/public/estimates/{token}/approve', 'The customer approves (no API key, single use)', token, answerBody],
  ['post', '/public/estimates/{token}/reject', 'The customer rejects (no API key, single use)', token, answerBody],
  ['get', `${base}/invoices`, 'List invoices (status, dateFrom, dateTo, customerId, bookingId, sort, pagination)', garageId],
  ['post', `${base}/invoices`, 'Manual invoice for a counter sale (Idempotency-Key header optional)', garageId, createInvoiceBody],
  ['get', `${base}/invoices/{iid}`, 'Get an invoice', withId('iid')],
  ['get', `${base}/invoices/{iid}/pdf`, 'The invoice as a PDF', withId('iid')],
  ['post', `${base}/invoices/{iid}/void`, 'Void an issued invoice without payments', withId('iid'), voidInvoiceBody],
  ['get', `${base}/invoices/{iid}/payments`, 'Payments of an invoice', withId('iid')],
  ['post', `${base}/invoices/{iid}/payments`, 'Record a payment (no overpayment; Idempotency-Key header optional)', withId('iid'), recordPaymentBody],
  ['get', `${base}/payments`, 'List payments (method, dateFrom, dateTo, invoiceId, sort, pagination)', garageId],
  ['post', `${base}/invoices/{iid}/payments/{pid}/refunds`, 'Refund (part of) a payment (Idempotency-Key header optional)', withId('iid').extend({ pid: z.string() }), recordRefundBody],
  ['post', `${base}/invoices/{iid}/credit-notes`, 'Credit note against an invoice (Idempotency-Key header optional)', withId('iid'), createCreditNoteBody],
  ['get', `${base}/credit-notes`, 'List credit notes (invoiceId, customerId, dateFrom, dateTo, sort, pagination)', garageId],
  ['get', `${base}/credit-notes/{cid}`, 'Get a credit note', withId('cid')],
  ['get', `${base}/credit-notes/{cid}/pdf`, 'The credit note as a PDF', withId('cid')],
];

for (const [method, path, summary, params, requestBody] of paths) {
  openApiRegistry.registerPath({
    method,
    path,
    tags: [path.includes('estimates') ? 'Estimates' : path.includes('credit-notes') ? 'Credit notes' : path.includes('payments') ? 'Payments' : 'Invoices'],
    summary,
    request: { params, ...(requestBody ? body(requestBody) : {}) },
    responses: responses(summary),
  });
}
