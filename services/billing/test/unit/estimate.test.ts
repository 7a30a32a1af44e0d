import {
  APPROVAL_TOKEN_PATTERN,
  draftEstimate,
  effectiveStatus,
  estimateNumber,
  hashApprovalToken,
  isOpen,
  newApprovalToken,
  priceLines,
  type ExpiringEstimate,
} from '../../src/domain/estimate';

const sent = (overrides: Partial<ExpiringEstimate> = {}): ExpiringEstimate => ({
  status: 'sent',
  expiresAt: new Date('2026-06-30T00:00:00Z'),
  validUntil: null,
  timezone: 'Europe/Berlin',
  ...overrides,
});

describe('estimate rules', () => {
  it('when a number is formatted, then it is EST-<six digits>', () => {
    expect(estimateNumber(42)).toBe('EST-000042');
  });

  it('when lines are priced, then each gets an id and the money rule, and the totals add up line by line', () => {
    const { lines, totals } = priceLines([
      { kind: 'labor', description: 'Brake inspection', quantity: 1.5, unitPrice: 8333, taxRate: 2000, discount: 0 },
      { kind: 'part', description: 'Brake pads', code: 'BRK-01', quantity: 2, unitPrice: 2500, taxRate: 1900, discount: 750 },
    ]);
    // 1.5 × 83.33 = 124.995 → 125.00 + 20 % = 150.00; 50.00 − 7.50 = 42.50 + 19 % (8.075 → 8.08) = 50.58
    expect(lines.map((l) => [l.id, l.code, l.net, l.tax, l.total])).toEqual([
      ['ln-1', null, 12500, 2500, 15000],
      ['ln-2', 'BRK-01', 4250, 808, 5058],
    ]);
    expect(totals).toEqual({ subtotal: 17500, discountTotal: 750, taxTotal: 3308, total: 20058 });
  });

  it('when a draft is made, then it takes the garage currency and time zone and starts at revision 0', () => {
    const draft = draftEstimate(
      { id: 'est-1', garageId: 'gar-1', organisationId: 'org-1', currency: 'KWD', timezone: 'Asia/Kuwait' },
      { customerId: 'cus-1', vehicleId: null, bookingId: null, validUntil: null, notes: null, lines: [{ kind: 'fee', description: 'Storage', quantity: 1, unitPrice: 1275, taxRate: 500, discount: 0 }] },
      3,
    );
    // 1.275 KWD + 5 % (0.06375 → 0.064) = 1.339
    expect(draft).toMatchObject({ number: 'EST-000003', seq: 3, currency: 'KWD', timezone: 'Asia/Kuwait', status: 'draft', revision: 0, total: 1339 });
  });

  it('when the link has expired, then a sent estimate reads as expired; other statuses stay as they are', () => {
    const before = new Date('2026-06-29T23:59:59Z');
    const at = new Date('2026-06-30T00:00:00Z');
    expect(effectiveStatus(sent(), before)).toBe('sent');
    expect(effectiveStatus(sent(), at)).toBe('expired');
    expect(effectiveStatus(sent({ status: 'approved' }), at)).toBe('approved');
    expect(effectiveStatus(sent({ status: 'draft', expiresAt: null }), at)).toBe('draft');
  });

  it('when validUntil has passed in the garage time zone (not UTC), then a sent estimate reads as expired', () => {
    const estimate = sent({ validUntil: '2026-06-10', timezone: 'Asia/Tokyo' });
    // 2026-06-10T14:59Z is 23:59 on the 10th in Tokyo; 15:00Z is already the 11th there
    expect(effectiveStatus(estimate, new Date('2026-06-10T14:59:00Z'))).toBe('sent');
    expect(effectiveStatus(estimate, new Date('2026-06-10T15:00:00Z'))).toBe('expired');
  });

  it('when the garage acts on an estimate, then only a draft or a sent one is still open', () => {
    expect(['draft', 'sent', 'approved', 'rejected', 'expired'].filter((s) => isOpen(s as never))).toEqual(['draft', 'sent']);
  });

  it('when an approval token is made, then it is 43 base64url characters and only its SHA-256 is kept', () => {
    const { token, hash } = newApprovalToken();
    expect(token).toMatch(APPROVAL_TOKEN_PATTERN);
    expect(hash).toBe(hashApprovalToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(newApprovalToken().token).not.toBe(token);
    // SHA-256("abc"), the FIPS 180-2 test vector
    expect(hashApprovalToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
