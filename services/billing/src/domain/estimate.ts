import { createHash, randomBytes } from 'node:crypto';

import { localDateOf } from '@pitlane/core';

import type { LineKind, PricedLine } from './invoice';
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

/** The e-mail of the latest send: `sending` while queued (SMTP down or not tried yet), then `sent`. */
export interface EstimateDelivery {
  id: string;
  status: 'sending' | 'sent';
  to: string;
  queuedAt: Date;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  messageId: string | null;
}

/** One e-mail that reached the SMTP server (the send history). */
export interface EstimateSend {
  to: string;
  messageId: string;
  sentAt: Date;
}

/** An estimate as stored and shown (the approval token's hash stays in data-access). */
export interface Estimate {
  _id: string;
  garageId: string;
  organisationId: string;
  number: string;
  seq: number;
  customerId: string;
  vehicleId: string | null;
  bookingId: string | null;
  currency: string;
  lines: PricedLine[];
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  validUntil: string | null;
  /** the garage's time zone when the estimate was made: validUntil is a date there */
  timezone: string;
  notes: string | null;
  status: EstimateStatus;
  /** bumped by every change made by the garage: the compare-and-set guard of PATCH and send */
  revision: number;
  sentAt: Date | null;
  expiresAt: Date | null;
  answeredAt: Date | null;
  rejectionReason: string | null;
  delivery?: EstimateDelivery | null;
  sends?: EstimateSend[];
  createdAt: Date;
  updatedAt: Date;
}

/** What a garage gives for a new estimate (its garage, currency and time zone come from the tenant). */
export interface EstimateInput {
  customerId: string;
  vehicleId: string | null;
  bookingId: string | null;
  lines: EstimateLineInput[];
  validUntil: string | null;
  notes: string | null;
}

/** `EST-000042`: per garage, allocated by data-access/numbering like invoice numbers. */
export function estimateNumber(seq: number): string {
  return `EST-${String(seq).padStart(6, '0')}`;
}

/** A draft estimate with its number, priced line by line. */
export function draftEstimate(
  ref: { id: string; garageId: string; organisationId: string; currency: string; timezone: string },
  input: EstimateInput,
  seq: number,
): Omit<Estimate, 'createdAt' | 'updatedAt'> {
  const { lines, totals } = priceLines(input.lines);
  return {
    _id: ref.id,
    garageId: ref.garageId,
    organisationId: ref.organisationId,
    number: estimateNumber(seq),
    seq,
    ...input,
    currency: ref.currency,
    timezone: ref.timezone,
    lines,
    ...totals,
    status: 'draft',
    revision: 0,
    sentAt: null,
    expiresAt: null,
    answeredAt: null,
    rejectionReason: null,
  };
}

/** Only a draft or a sent estimate can still be changed or (re)sent by the garage. */
export function isOpen(status: EstimateStatus): status is 'draft' | 'sent' {
  return status === 'draft' || status === 'sent';
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
