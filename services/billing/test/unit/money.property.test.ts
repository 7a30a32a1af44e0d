import fc from 'fast-check';

import { divideRounded, documentTotals, formatMoney, lineAmounts, type LineInput } from '../../src/domain/money';

/** Properties of the rounding rule in src/domain/money.ts, over generated figures (the hand-computed
 * cases are in money.test.ts). Each property states what a reader of an invoice can rely on. */

// amounts a garage can invoice: up to 10 million in major units, quantities with at most 2 decimals
const unitPrice = fc.integer({ min: 0, max: 1_000_000_000 });
const quantity = fc.integer({ min: 1, max: 100_000 }).map((hundredths) => hundredths / 100);
const taxRate = fc.integer({ min: 0, max: 10_000 });
const line: fc.Arbitrary<LineInput> = fc
  .record({ quantity, unitPrice, taxRate, share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ share, ...rest }) => {
    const gross = lineAmounts({ ...rest, discount: 0 }).gross;
    return { ...rest, discount: Math.floor(gross * share) };
  });

describe('money properties', () => {
  it('when any integer is divided, then the result is the nearest integer and ties go away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const q = divideRounded(n, d);
        const twiceError = 2n * (n - q * d); // 2 × (n/d − q) × d
        expect(twiceError <= d && twiceError >= -d).toBe(true);
        // an exact half is never rounded toward zero
        if (twiceError === d) expect(n).toBeLessThan(0n);
        if (twiceError === -d) expect(n).toBeGreaterThan(0n);
        expect(divideRounded(-n, d)).toBe(-q);
      }),
    );
  });

  it('when a line is priced, then net is gross less discount, total is net plus tax, and none is negative', () => {
    fc.assert(
      fc.property(line, (input) => {
        const amounts = lineAmounts(input);
        expect(amounts.net).toBe(amounts.gross - amounts.discount);
        expect(amounts.total).toBe(amounts.net + amounts.tax);
        expect(Math.min(amounts.gross, amounts.net, amounts.tax, amounts.total)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('when a line is priced, then gross and tax are each within half a minor unit of the exact figure', () => {
    fc.assert(
      fc.property(line, (input) => {
        const amounts = lineAmounts(input);
        const exactGrossTimes100 = BigInt(Math.round(input.quantity * 100)) * BigInt(input.unitPrice);
        expect(abs(BigInt(amounts.gross) * 100n - exactGrossTimes100) * 2n <= 100n).toBe(true);
        const exactTaxTimes10k = BigInt(amounts.net) * BigInt(input.taxRate);
        expect(abs(BigInt(amounts.tax) * 10_000n - exactTaxTimes10k) * 2n <= 10_000n).toBe(true);
      }),
    );
  });

  it('when the tax rate rises, then the tax of the same line never falls', () => {
    fc.assert(
      fc.property(line, taxRate, (input, otherRate) => {
        const [low, high] = [Math.min(input.taxRate, otherRate), Math.max(input.taxRate, otherRate)];
        expect(lineAmounts({ ...input, taxRate: high }).tax).toBeGreaterThanOrEqual(lineAmounts({ ...input, taxRate: low }).tax);
      }),
    );
  });

  it('when lines are totalled, then the totals add up and do not depend on the order or grouping of the lines', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(line, { maxLength: 20 }), (first, second) => {
        const a = first.map(lineAmounts);
        const b = second.map(lineAmounts);
        const all = documentTotals([...a, ...b]);
        expect(all.total).toBe(all.subtotal - all.discountTotal + all.taxTotal);
        expect(documentTotals([...b, ...a])).toEqual(all);
        const [ta, tb] = [documentTotals(a), documentTotals(b)];
        expect(all).toEqual({
          subtotal: ta.subtotal + tb.subtotal,
          discountTotal: ta.discountTotal + tb.discountTotal,
          taxTotal: ta.taxTotal + tb.taxTotal,
          total: ta.total + tb.total,
        });
      }),
    );
  });

  it('when an amount is formatted, then its digits, sign and number of decimals are exactly those of the integer', () => {
    const currency = fc.constantFrom('EUR', 'GBP', 'JPY', 'KWD', 'USD', 'CLP', 'BHD');
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), currency, (amount, code) => {
        const text = formatMoney(amount, code);
        const [number = '', suffix] = text.split(' ');
        expect(suffix).toBe(code);
        expect(number.startsWith('-')).toBe(amount < 0);
        const decimals = number.includes('.') ? (number.split('.')[1] ?? '').length : 0;
        const exponents: Record<string, number> = { JPY: 0, CLP: 0, KWD: 3, BHD: 3 }; // ISO 4217 minor units
        expect(decimals).toBe(exponents[code] ?? 2);
        expect(BigInt(number.replace(/[-,.]/g, ''))).toBe(BigInt(Math.abs(amount)));
      }),
    );
  });
});

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}
