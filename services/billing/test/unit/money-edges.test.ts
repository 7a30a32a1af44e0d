import { divideRounded, documentTotals, formatMoney, lineAmounts, MoneyError, type LineAmounts } from '../../src/domain/money';

/** The money edges issue 18 found untested: negative and whole-line discounts, the overflow guards
 * with the exact refusal, `-0`, and grouping of millions. Figures are worked out by hand. */
const refusal = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};
const expectRefused = (run: () => unknown, message: string) => {
  const error = refusal(run);
  expect(error).toBeInstanceOf(MoneyError);
  expect((error as Error).message).toBe(message);
};

describe('money edges', () => {
  it('when a discount takes the whole line, then the line is 0.00 with 0.00 tax', () => {
    // 2 × 12.50 = 25.00 − 25.00 = 0.00
    expect(lineAmounts({ quantity: 2, unitPrice: 1250, taxRate: 2000, discount: 2500 })).toEqual({ gross: 2500, discount: 2500, net: 0, tax: 0, total: 0 });
  });

  it('when a discount is negative or one cent above the line, then the line is refused naming the rule', () => {
    expectRefused(() => lineAmounts({ quantity: 2, unitPrice: 1250, taxRate: 2000, discount: -1 }), 'discount must be between 0 and the line amount');
    expectRefused(() => lineAmounts({ quantity: 2, unitPrice: 1250, taxRate: 2000, discount: 2501 }), 'discount must be between 0 and the line amount');
  });

  it('when a quantity has three decimals or an amount is fractional, then the refusal says which', () => {
    expectRefused(() => lineAmounts({ quantity: 1.005, unitPrice: 100, taxRate: 0, discount: 0 }), 'quantity has more than 2 decimals');
    expectRefused(() => lineAmounts({ quantity: 1, unitPrice: 100, taxRate: 0, discount: 0.5 }), 'amounts and rates must be integers');
    expectRefused(() => lineAmounts({ quantity: 1, unitPrice: 100, taxRate: 20.5, discount: 0 }), 'amounts and rates must be integers');
  });

  it('when a line amount, its tax or its total passes 2^53 − 1 minor units, then it is refused instead of losing cents', () => {
    // 1000 × 9 000 000 000 000 000 = 9 × 10^18
    expectRefused(() => lineAmounts({ quantity: 1000, unitPrice: 9e15, taxRate: 0, discount: 0 }), 'line amount is too large');
    // 10^15 at 1 000 000 bp (10 000 %) = 10^17 of tax
    expectRefused(() => lineAmounts({ quantity: 1, unitPrice: 1e15, taxRate: 1_000_000, discount: 0 }), 'tax is too large');
    // 5 × 10^15 + 100 % tax = 10^16: each part is safe, the total is not
    expectRefused(() => lineAmounts({ quantity: 1, unitPrice: 5e15, taxRate: 10_000, discount: 0 }), 'line total is too large');
    // the largest safe amount itself is fine
    expect(lineAmounts({ quantity: 1, unitPrice: Number.MAX_SAFE_INTEGER, taxRate: 0, discount: 0 }).total).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('when a document`s sum passes 2^53 − 1 in one column only, then the document is refused', () => {
    const big: LineAmounts = { gross: 5e15, discount: 0, net: 5e15, tax: 0, total: 5e15 };
    expectRefused(() => documentTotals([big, big]), 'document total is too large');
    expect(documentTotals([])).toEqual({ subtotal: 0, discountTotal: 0, taxTotal: 0, total: 0 });
  });

  it('when dividing by zero or a negative denominator, then it is refused', () => {
    expect(() => divideRounded(10n, 0n)).toThrow(new RangeError('denominator must be positive'));
    expect(() => divideRounded(10n, -2n)).toThrow(RangeError);
    expect(divideRounded(0n, 3n)).toBe(0n);
  });

  it('when amounts of millions, negative ones and minus zero are formatted, then the grouping and sign are exact', () => {
    expect(formatMoney(123_456_789, 'EUR')).toBe('1,234,567.89 EUR');
    expect(formatMoney(100_000_000, 'EUR')).toBe('1,000,000.00 EUR');
    expect(formatMoney(123_450, 'EUR')).toBe('1,234.50 EUR');
    expect(formatMoney(-5, 'EUR')).toBe('-0.05 EUR');
    expect(formatMoney(-0, 'EUR')).toBe('0.00 EUR');
    expect(formatMoney(1_000_000, 'JPY')).toBe('1,000,000 JPY');
    expect(formatMoney(-1_000_000, 'KWD')).toBe('-1,000.000 KWD');
  });
});
