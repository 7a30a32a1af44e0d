import { errorResponses, openApiRegistry, successResponses, type Success } from '@pitlane/core';
import { z } from 'zod';

import {
  creditNoteResource,
  creditNoteWithInvoice,
  estimateResource,
  invoiceResource,
  paymentResource,
  paymentWithInvoice,
  publicEstimate,
  refundWithInvoice,
  sentEstimate,
} from './response-schemas';
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
import { lists } from './list-queries';

/** The billing paths in the OpenAPI document, with their request bodies (registered once per process). */
const base = '/garages/{garageId}';
const garageId = z.object({ garageId: z.string() });
const withId = (name: string) => garageId.extend({ [name]: z.string() });
const token = z.object({ token: z.string() });
const one = (data: z.ZodType, status: 200 | 201 = 200): Success => ({ data, status });
const page = (data: z.ZodType): Success => ({ data, list: true });
/** the query each list reads: the routes' own strict schemas (list-queries.ts) */
const queries: Record<string, z.ZodObject> = {
  [`${base}/estimates`]: lists.estimates.schema,
  [`${base}/invoices`]: lists.invoices.schema,
  [`${base}/invoices/{invoiceId}/payments`]: lists.invoicePayments.schema,
  [`${base}/payments`]: lists.payments.schema,
  [`${base}/credit-notes`]: lists.creditNotes.schema,
};
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });

type PathEntry = [method: 'get' | 'post' | 'patch', path: string, summary: string, params: z.ZodObject, requestBody: z.ZodType | undefined, success: Success];

const paths: PathEntry[] = [
  ['get', `${base}/estimates`, 'List estimates (status, customerId, dateFrom, dateTo, sort, pagination)', garageId, undefined, page(estimateResource)],
  ['post', `${base}/estimates`, 'Create a draft estimate', garageId, createEstimateBody, one(estimateResource, 201)],
  ['get', `${base}/estimates/{estimateId}`, 'Get an estimate', withId('estimateId'), undefined, one(estimateResource)],
  ['patch', `${base}/estimates/{estimateId}`, 'Change a draft or sent estimate (a sent one goes back to draft)', withId('estimateId'), updateEstimateBody, one(estimateResource)],
  ['post', `${base}/estimates/{estimateId}/send`, 'Send an estimate: e-mails the approval link (delivery sent | sending | no_recipient)', withId('estimateId'), sendEstimateBody, one(sentEstimate)],
  ['get', '/public/estimates/{token}', 'The estimate behind an approval link (no API key)', token, undefined, one(publicEstimate)],
  ['post', '/public/estimates/{token}/approve', 'The customer approves (no API key, single use)', token, answerBody, one(publicEstimate)],
  ['post', '/public/estimates/{token}/reject', 'The customer rejects (no API key, single use)', token, answerBody, one(publicEstimate)],
  ['get', `${base}/invoices`, 'List invoices (status, dateFrom, dateTo, customerId, bookingId, sort, pagination)', garageId, undefined, page(invoiceResource)],
  ['post', `${base}/invoices`, 'Manual invoice for a counter sale (Idempotency-Key header optional)', garageId, createInvoiceBody, one(invoiceResource, 201)],
  ['get', `${base}/invoices/{invoiceId}`, 'Get an invoice', withId('invoiceId'), undefined, one(invoiceResource)],
  ['get', `${base}/invoices/{invoiceId}/pdf`, 'The invoice as a PDF', withId('invoiceId'), undefined, { mediaType: 'application/pdf' }],
  ['post', `${base}/invoices/{invoiceId}/void`, 'Void an issued invoice without payments', withId('invoiceId'), voidInvoiceBody, one(invoiceResource)],
  ['get', `${base}/invoices/{invoiceId}/payments`, 'Payments of an invoice', withId('invoiceId'), undefined, page(paymentResource)],
  ['post', `${base}/invoices/{invoiceId}/payments`, 'Record a payment (no overpayment; Idempotency-Key header optional)', withId('invoiceId'), recordPaymentBody, one(paymentWithInvoice, 201)],
  ['get', `${base}/payments`, 'List payments (method, dateFrom, dateTo, invoiceId, sort, pagination)', garageId, undefined, page(paymentResource)],
  ['post', `${base}/invoices/{invoiceId}/payments/{paymentId}/refunds`, 'Refund (part of) a payment (Idempotency-Key header optional)', withId('invoiceId').extend({ paymentId: z.string() }), recordRefundBody, one(refundWithInvoice, 201)],
  ['post', `${base}/invoices/{invoiceId}/credit-notes`, 'Credit note against an invoice (Idempotency-Key header optional)', withId('invoiceId'), createCreditNoteBody, one(creditNoteWithInvoice, 201)],
  ['get', `${base}/credit-notes`, 'List credit notes (invoiceId, customerId, dateFrom, dateTo, sort, pagination)', garageId, undefined, page(creditNoteResource)],
  ['get', `${base}/credit-notes/{creditNoteId}`, 'Get a credit note', withId('creditNoteId'), undefined, one(creditNoteResource)],
  ['get', `${base}/credit-notes/{creditNoteId}/pdf`, 'The credit note as a PDF', withId('creditNoteId'), undefined, { mediaType: 'application/pdf' }],
];

/** The conflicts a write may answer, by the first pattern its path matches (order matters). */
const conflicts: [RegExp, string[]][] = [
  [/^\/public\//, ['ESTIMATE_EXPIRED', 'ESTIMATE_ALREADY_ANSWERED']],
  [/\/refunds$/, ['REFUND_EXCEEDS_PAYMENT', 'IDEMPOTENCY_KEY_REUSED', 'CONCURRENT_UPDATE']],
  [/\/credit-notes$/, ['CREDIT_EXCEEDS_INVOICE', 'INVOICE_NOT_CREDITABLE', 'IDEMPOTENCY_KEY_REUSED', 'CONCURRENT_UPDATE']],
  [/\/invoices$/, ['IDEMPOTENCY_KEY_REUSED']],
  [/\/payments$/, ['PAYMENT_EXCEEDS_BALANCE', 'INVOICE_NOT_PAYABLE', 'IDEMPOTENCY_KEY_REUSED', 'CONCURRENT_UPDATE']],
  [/\/void$/, ['INVALID_STATUS_TRANSITION', 'CONCURRENT_UPDATE']],
  [/./, ['INVALID_STATUS_TRANSITION', 'ESTIMATE_EXPIRED', 'CONCURRENT_UPDATE']],
];

for (const [method, path, summary, params, requestBody, success] of paths) {
  openApiRegistry.registerPath({
    method,
    path,
    tags: [path.includes('estimates') ? 'Estimates' : path.includes('credit-notes') ? 'Credit notes' : path.includes('payments') ? 'Payments' : 'Invoices'],
    summary,
    request: { params, ...(method === 'get' && queries[path] ? { query: queries[path] } : {}), ...(requestBody ? body(requestBody) : {}) },
    responses: { ...successResponses(summary, success), ...errorsOf(method, path) },
  });
}

/** The error statuses of an operation and their codes. */
function errorsOf(method: string, path: string) {
  const write = method !== 'get';
  return errorResponses({
    400: ['VALIDATION_FAILED', ...(write ? ['INVALID_JSON'] : [])],
    // a manual invoice names a customer and a vehicle that must exist
    404: path.includes('{') || (path.endsWith('/invoices') && write) ? ['RESOURCE_NOT_FOUND'] : [],
    409: write ? (conflicts.find(([pattern]) => pattern.test(path))?.[1] ?? []) : [],
  });
}
