import type { PaymentRow } from '../../data-access/payment.repository';
import { effectiveStatus, type Estimate } from '../../domain/estimate';
import type { Invoice, PaymentEntry } from '../../domain/invoice';

/** What partners see of the stored documents: `id` instead of `_id`, ISO timestamps, no internals. */
export function invoiceView(invoice: Invoice) {
  return {
    id: invoice._id,
    number: invoice.number,
    status: invoice.status,
    bookingId: invoice.bookingId,
    bookingNumber: invoice.bookingNumber,
    customerId: invoice.customerId,
    customer: invoice.customer,
    vehicleId: invoice.vehicleId,
    vehicle: invoice.vehicle,
    technician: invoice.technician,
    currency: invoice.currency,
    issueDate: invoice.issueDate,
    lines: invoice.lines,
    subtotal: invoice.subtotal,
    discountTotal: invoice.discountTotal,
    taxTotal: invoice.taxTotal,
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    balance: invoice.balance,
    payments: invoice.payments.map((payment) => paymentView(payment)),
    paidAt: invoice.paidAt?.toISOString() ?? null,
    voidedAt: invoice.voidedAt?.toISOString() ?? null,
    voidReason: invoice.voidReason,
    createdAt: new Date(invoice.createdAt).toISOString(),
    updatedAt: new Date(invoice.updatedAt).toISOString(),
  };
}

export function paymentView(payment: PaymentEntry | PaymentRow) {
  return {
    id: payment.id,
    ...('invoiceId' in payment ? { invoiceId: payment.invoiceId, invoiceNumber: payment.invoiceNumber, currency: payment.currency } : {}),
    amount: payment.amount,
    method: payment.method,
    reference: payment.reference,
    paidAt: new Date(payment.paidAt).toISOString(),
    paidOn: payment.paidOn,
    createdAt: new Date(payment.createdAt).toISOString(),
  };
}

export function estimateView(estimate: Estimate, now = new Date()) {
  return {
    id: estimate._id,
    number: estimate.number,
    status: effectiveStatus(estimate, now),
    customerId: estimate.customerId,
    vehicleId: estimate.vehicleId,
    bookingId: estimate.bookingId,
    currency: estimate.currency,
    lines: estimate.lines,
    subtotal: estimate.subtotal,
    discountTotal: estimate.discountTotal,
    taxTotal: estimate.taxTotal,
    total: estimate.total,
    validUntil: estimate.validUntil,
    notes: estimate.notes,
    sentAt: estimate.sentAt?.toISOString() ?? null,
    expiresAt: estimate.expiresAt?.toISOString() ?? null,
    answeredAt: estimate.answeredAt?.toISOString() ?? null,
    rejectionReason: estimate.rejectionReason,
    createdAt: new Date(estimate.createdAt).toISOString(),
    updatedAt: new Date(estimate.updatedAt).toISOString(),
  };
}

/** What the customer behind an approval link may see: the offer, not the garage's internal ids. */
export function publicEstimateView(estimate: Estimate, now = new Date()) {
  return {
    number: estimate.number,
    status: effectiveStatus(estimate, now),
    currency: estimate.currency,
    lines: estimate.lines.map(({ kind, description, quantity, unitPrice, taxRate, discount, tax, total }) => ({
      kind, description, quantity, unitPrice, taxRate, discount, tax, total,
    })),
    subtotal: estimate.subtotal,
    discountTotal: estimate.discountTotal,
    taxTotal: estimate.taxTotal,
    total: estimate.total,
    validUntil: estimate.validUntil,
    expiresAt: estimate.expiresAt?.toISOString() ?? null,
    answeredAt: estimate.answeredAt?.toISOString() ?? null,
  };
}
