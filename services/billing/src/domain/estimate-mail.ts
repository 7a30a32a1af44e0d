import type { Estimate } from './estimate';
import { formatMoney } from './money';

export interface EstimateMail {
  subject: string;
  text: string;
  html: string;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The e-mail asking the customer to approve an estimate: the garage's name, the lines and totals,
 * and the approval link, as text and as HTML (every value escaped). */
export function estimateMail(estimate: Estimate, context: { garageName: string; customerName: string; approvalUrl: string }): EstimateMail {
  const money = (amount: number) => formatMoney(amount, estimate.currency);
  const expires = estimate.expiresAt ? ` The link works until ${estimate.expiresAt.toISOString().slice(0, 10)}.` : '';
  const subject = `${context.garageName}: estimate ${estimate.number} for your approval`;
  const lines = estimate.lines.map((l) => ({ description: l.description, quantity: String(l.quantity), total: money(l.total) }));
  const totals: [string, string][] = [
    ['Subtotal', money(estimate.subtotal)],
    ...(estimate.discountTotal > 0 ? [['Discounts', money(-estimate.discountTotal)] as [string, string]] : []),
    ['Tax', money(estimate.taxTotal)],
    ['Total', money(estimate.total)],
  ];
  const text = [
    `Hello ${context.customerName},`,
    '',
    `${context.garageName} sends you estimate ${estimate.number}:`,
    '',
    ...lines.map((l) => `  ${l.quantity} × ${l.description}: ${l.total}`),
    '',
    ...totals.map(([label, value]) => `  ${label}: ${value}`),
    '',
    `Approve or reject it here: ${context.approvalUrl}${expires}`,
    '',
    context.garageName,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<h2>${escape(context.garageName)}</h2>
<p>Hello ${escape(context.customerName)},</p>
<p>${escape(context.garageName)} sends you estimate <strong>${escape(estimate.number)}</strong>:</p>
<table cellpadding="4">${lines.map((l) => `<tr><td>${escape(l.quantity)} ×</td><td>${escape(l.description)}</td><td align="right">${escape(l.total)}</td></tr>`).join('')}
${totals.map(([label, value]) => `<tr><td></td><td><strong>${label}</strong></td><td align="right">${escape(value)}</td></tr>`).join('')}</table>
<p><a href="${escape(context.approvalUrl)}">Approve or reject the estimate</a>${escape(expires)}</p>
<p>${escape(context.garageName)}</p>
</body></html>`;
  return { subject, text, html };
}
