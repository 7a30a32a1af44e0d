import { createHash, randomBytes } from 'node:crypto';

import type { LineKind, PricedLine } from './invoice';
import { localDateOf } from './local-date';
import { documentTotals, lineAmounts, type DocumentTotals } from './money';

/** draft → sent → approved | rejected | expired; a change to a sent estimate takes it back to draft. */
export type EstimateStatus = 'draft' | 'sent' | 'approved' | 'rejected' | 'expired';
export const estimateStatuses = ['draft', 'sent', 'approved', 'rejected', 'expired'] as const;
export const lineKinds = ['service', 'part', 'labor', 'fee'] as const;

export interface EstimateLineInput {
  kind: LineKind;
  description: string;
  code?: string | null;
  quantity: number;
  unitPrice: number;
  taxRate: number;
  discount: number;
}

/** `EST-000042`: per garage, allocated by data-access/numbering like invoice numbers. */
export function estimateNumber(seq: number): string {
  return `EST-${String(seq).padStart(6, '0')}`;
}

export function priceLines(inputs: EstimateLineInput[]): { lines: PricedLine[]; totals: DocumentTotals } {
  const lines = inputs.map((input, index) => ({
    id: `ln-${index + 1}`,
    kind: input.kind,
    description: input.description,
    code: input.code ?? null,
    quantity: input.quantity,
    unitPrice: input.unitPrice,
    taxRate: input.taxRate,
    ...lineAmounts(input),
  }));
  return { lines, totals: documentTotals(lines) };
}

export interface ExpiringEstimate {
  status: EstimateStatus;
  expiresAt: Date | null;
  validUntil: string | null;
  timezone: string;
}

/** A sent estimate whose link expired, or whose validity date (garage-local) has passed, is expired
 * even before anyone wrote that down: partners see the same status on reads and on answers. */
export function effectiveStatus(estimate: ExpiringEstimate, now: Date): EstimateStatus {
  if (estimate.status !== 'sent') return estimate.status;
  if (estimate.expiresAt && estimate.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (estimate.validUntil && localDateOf(now, estimate.timezone) > estimate.validUntil) return 'expired';
  return 'sent';
}

/** 32 random bytes as base64url (43 characters) go into the link; only their SHA-256 is stored,
 * so a database leak does not hand out working approval links. */
export function newApprovalToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashApprovalToken(token) };
}

export function hashApprovalToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const APPROVAL_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
