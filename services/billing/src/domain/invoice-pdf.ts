import { localDateOf } from '@pitlane/core';
import PDFDocument from 'pdfkit';

import type { Invoice } from './invoice';
import { formatMoney } from './money';

export interface PdfContext {
  garageName: string;
  timezone: string;
}

const LEFT = 50;
const RIGHT = 545;
/** description, quantity, unit price, tax, line total */
const COLUMNS = [LEFT, 300, 350, 430, 470] as const;

/**
 * The invoice as a PDF for people: garage, customer, vehicle, lines, tax, totals, payments, balance.
 * Streams are not compressed: invoices are small, and the text stays greppable for support and tests.
 */
export function renderInvoicePdf(invoice: Invoice, context: PdfContext): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: LEFT, compress: false, info: { Title: invoice.number, Author: context.garageName } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (amount: number) => formatMoney(amount, invoice.currency);

  doc.font('Helvetica-Bold').fontSize(18).text(context.garageName, LEFT, 50);
  doc.fontSize(14).text(`Invoice ${invoice.number}`, LEFT, 80);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Date: ${invoice.issueDate}`);
  doc.text(invoice.bookingNumber ? `Booking: ${invoice.bookingNumber}` : 'Counter sale');
  doc.text(`Status: ${invoice.status.replace('_', ' ')}`);
  doc.moveDown();

  const customer = invoice.customer;
  doc.font('Helvetica-Bold').text('Bill to');
  doc.font('Helvetica').text(`${customer.firstName} ${customer.lastName}`);
  for (const line of [customer.email, customer.phone]) if (line) doc.text(line);
  doc.moveDown(0.5);
  if (invoice.vehicle) vehicleBlock(doc, invoice.vehicle);
  doc.moveDown();

  row(doc, ['Description', 'Qty', 'Unit price', 'Tax', 'Amount'], true);
  for (const line of invoice.lines) {
    const discount = line.discount > 0 ? ` (discount ${money(line.discount)})` : '';
    row(doc, [`${line.description}${discount}`, String(line.quantity), money(line.unitPrice), `${line.taxRate / 100}%`, money(line.net)]);
  }
  doc.moveDown();
  const totals: [string, number][] = [['Subtotal', invoice.subtotal]];
  if (invoice.discountTotal > 0) totals.push(['Discounts', -invoice.discountTotal]);
  totals.push(['Tax', invoice.taxTotal], ['Total', invoice.total]);
  if (invoice.creditedTotal > 0) totals.push(['Credited', -invoice.creditedTotal]);
  totals.push(['Paid', invoice.amountPaid]);
  if (invoice.amountRefunded > 0) totals.push(['Refunded', -invoice.amountRefunded]);
  totals.push(['Balance due', invoice.balance]);
  for (const [label, amount] of totals) {
    const y = doc.y;
    doc.font(label === 'Total' || label === 'Balance due' ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(label, COLUMNS[2], y).text(money(amount), COLUMNS[3], y, { width: RIGHT - COLUMNS[3], align: 'right' });
  }
  if (invoice.payments.length > 0) {
    doc.moveDown().font('Helvetica-Bold').text('Payments', LEFT);
    doc.font('Helvetica');
    for (const payment of invoice.payments) {
      const reference = payment.reference ? ` ref ${payment.reference}` : '';
      doc.text(`${localDateOf(new Date(payment.paidAt), context.timezone)}  ${payment.method.replace('_', ' ')}${reference}  ${money(payment.amount)}`, LEFT);
    }
  }
  for (const refund of invoice.refunds) {
    doc.text(`${localDateOf(new Date(refund.refundedAt), context.timezone)}  refund ${refund.method.replace('_', ' ')}  -${money(refund.amount)}`, LEFT);
  }
  if (invoice.creditNotes.length > 0) {
    doc.moveDown().font('Helvetica-Bold').text('Credit notes', LEFT);
    doc.font('Helvetica');
    for (const note of invoice.creditNotes) doc.text(`${note.issueDate}  ${note.number}  ${note.reason}  -${money(note.total)}`, LEFT);
  }
  if (invoice.status === 'void') doc.moveDown().font('Helvetica-Bold').fontSize(14).text('VOID', LEFT);
  doc.end();
  return done;
}

export function vehicleBlock(doc: PDFKit.PDFDocument, vehicle: NonNullable<Invoice['vehicle']>): void {
  doc.font('Helvetica-Bold').text('Vehicle');
  doc.font('Helvetica').text([vehicle.make, vehicle.model, vehicle.year].filter((v) => v !== null).join(' '));
  const ids = [vehicle.registration && `Registration ${vehicle.registration}`, vehicle.vin && `VIN ${vehicle.vin}`].filter(Boolean);
  if (ids.length) doc.text(ids.join('   '));
}

export function row(doc: PDFKit.PDFDocument, cells: string[], header = false): void {
  const y = doc.y;
  doc.font(header ? 'Helvetica-Bold' : 'Helvetica');
  let bottom = y;
  cells.forEach((cell, index) => {
    const x = COLUMNS[index] ?? LEFT;
    const width = (COLUMNS[index + 1] ?? RIGHT) - x - 5;
    doc.text(cell, x, y, { width, align: index === 0 ? 'left' : 'right' });
    bottom = Math.max(bottom, doc.y);
  });
  doc.x = LEFT;
  doc.y = bottom + 2;
}
