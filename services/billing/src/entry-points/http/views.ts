import type { PaymentRow } from '../../data-access/payment.repository';
import type { CreditNote } from '../../domain/credit-note';
import { effectiveStatus, type Estimate } from '../../domain/estimate';
import type { Invoice, PaymentEntry } from '../../domain/invoice';
import { refundedOf, type RefundEntry } from '../../domain/refund';

/** What partners see of the stored documents: `id` instead of `_id`, ISO timestamps, no internals. */
export function invoiceView(invoice: Invoice) {
  return {
    id: invoice._id,
    number: invoice.number,
    status: invoice.status,
    source: invoice.source,
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
    notes: invoice.notes ?? null,
    payments: invoice.payments.map((payment) => ({ ...paymentView(payment), refundedAmount: refundedOf(invoice.refunds, payment.id) })),
    amountRefunded: invoice.amountRefunded,
    refunds: invoice.refunds.map(refundView),
    creditedTotal: invoice.creditedTotal,
    creditedLines: invoice.creditedLines,
    creditNotes: invoice.creditNotes.map(({ id, number, issueDate, reason, total }) => ({ id, number, issueDate, reason, total })),
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

export function refundView(refund: RefundEntry) {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    amount: refund.amount,
    method: refund.method,
    reason: refund.reason,
    refundedAt: new Date(refund.refundedAt).toISOString(),
    refundedOn: refund.refundedOn,
    createdAt: new Date(refund.createdAt).toISOString(),
  };
}

export function creditNoteView(creditNote: CreditNote) {
  return {
    id: creditNote._id,
    number: creditNote.number,
    invoiceId: creditNote.invoiceId,
    invoiceNumber: creditNote.invoiceNumber,
    customerId: creditNote.customerId,
    customer: creditNote.customer,
    currency: creditNote.currency,
    issueDate: creditNote.issueDate,
    reason: creditNote.reason,
    lines: creditNote.lines,
    netTotal: creditNote.netTotal,
    taxTotal: creditNote.taxTotal,
    total: creditNote.total,
    createdAt: new Date(creditNote.createdAt).toISOString(),
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
    delivery: estimate.delivery
      ? {
          status: estimate.delivery.status,
          to: estimate.delivery.to,
          attempts: estimate.delivery.attempts,
          lastError: estimate.delivery.lastError,
          sentAt: estimate.delivery.sentAt ? new Date(estimate.delivery.sentAt).toISOString() : null,
          messageId: estimate.delivery.messageId,
        }
      : null,
    sends: (estimate.sends ?? []).map((send) => ({ to: send.to, messageId: send.messageId, sentAt: new Date(send.sentAt).toISOString() })),
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
