import PDFDocument from 'pdfkit';

import type { CreditNote } from './credit-note';
import { row } from './invoice-pdf';
import { formatMoney } from './money';

const LEFT = 50;
const RIGHT = 545;

/** The credit note as a PDF for people, in the invoice's layout: what is credited and why, against
 * which invoice, with the tax given back. Uncompressed like invoices (greppable). */
export function renderCreditNotePdf(creditNote: CreditNote, context: { garageName: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: LEFT, compress: false, info: { Title: creditNote.number, Author: context.garageName } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (amount: number) => formatMoney(amount, creditNote.currency);

  doc.font('Helvetica-Bold').fontSize(18).text(context.garageName, LEFT, 50);
  doc.fontSize(14).text(`Credit note ${creditNote.number}`, LEFT, 80);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Date: ${creditNote.issueDate}`);
  doc.text(`Credits invoice ${creditNote.invoiceNumber}`);
  doc.text(`Reason: ${creditNote.reason}`);
  doc.moveDown();
  const customer = creditNote.customer;
  doc.font('Helvetica-Bold').text('Customer');
  doc.font('Helvetica').text(`${customer.firstName} ${customer.lastName}`);
  for (const line of [customer.email, customer.phone]) if (line) doc.text(line);
  doc.moveDown();

  row(doc, ['Description', 'Qty', 'Unit price', 'Tax', 'Amount'], true);
  for (const line of creditNote.lines) {
    row(doc, [line.description, String(line.quantity), money(line.unitPrice), `${line.taxRate / 100}%`, money(line.net)]);
  }
  doc.moveDown();
  for (const [label, amount] of [['Net', creditNote.netTotal], ['Tax', creditNote.taxTotal], ['Total credited', creditNote.total]] as const) {
    const y = doc.y;
    doc.font(label === 'Total credited' ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(label, 330, y).text(money(amount), 430, y, { width: RIGHT - 430, align: 'right' });
  }
  doc.end();
  return done;
}
