import { currencyExponent, divideRounded, documentTotals, formatMoney, lineAmounts, MoneyError } from '../../src/domain/money';

/** Every expected figure below was worked out by hand, following the rule in src/domain/money.ts:
 * gross = qty × price, net = gross − discount, tax = net × rate / 10 000, each rounded per line half
 * away from zero. */
describe('money', () => {
  it('when a line has tax with a fraction below one half, then the tax is rounded down', () => {
    // 3 × 19.99 = 59.97; 20 % of 59.97 = 11.994 → 11.99
    expect(lineAmounts({ quantity: 3, unitPrice: 1999, taxRate: 2000, discount: 0 })).toEqual({
      gross: 5997, discount: 0, net: 5997, tax: 1199, total: 7196,
    });
  });

  it('when the tax falls exactly on one half, then it is rounded away from zero', () => {
    // 1.25 at 10 % = 0.125 → 0.13
    expect(lineAmounts({ quantity: 1, unitPrice: 125, taxRate: 1000, discount: 0 })).toMatchObject({ tax: 13, total: 138 });
  });

  it('when a line has a discount amount, then tax is charged on the discounted amount', () => {
    // 2 × 25.00 = 50.00 − 7.50 = 42.50; 19 % = 8.075 → 8.08; 42.50 + 8.08 = 50.58
    expect(lineAmounts({ quantity: 2, unitPrice: 2500, taxRate: 1900, discount: 750 })).toEqual({
      gross: 5000, discount: 750, net: 4250, tax: 808, total: 5058,
    });
  });

  it('when the quantity is fractional (labour hours), then the line amount is rounded once', () => {
    // 1.5 h × 83.33 = 124.995 → 125.00; 20 % = 25.00
    expect(lineAmounts({ quantity: 1.5, unitPrice: 8333, taxRate: 2000, discount: 0 })).toEqual({
      gross: 12500, discount: 0, net: 12500, tax: 2500, total: 15000,
    });
    // 0.25 h × 0.30 = 0.075 → 0.08
    expect(lineAmounts({ quantity: 0.25, unitPrice: 30, taxRate: 0, discount: 0 })).toMatchObject({ gross: 8, tax: 0, total: 8 });
  });

  it('when the currency has no minor unit (JPY), then amounts are whole yen and tax rounds to the yen', () => {
    expect(currencyExponent('JPY')).toBe(0);
    // 3 × ¥1,980 = ¥5,940; 10 % = ¥594
    expect(lineAmounts({ quantity: 3, unitPrice: 1980, taxRate: 1000, discount: 0 })).toMatchObject({ net: 5940, tax: 594, total: 6534 });
    // ¥1,234 at 8 % = ¥98.72 → ¥99; and ¥1,237 at 8 % = ¥98.96 → ¥99; ¥1,231 at 8 % = ¥98.48 → ¥98
    expect(lineAmounts({ quantity: 1, unitPrice: 1234, taxRate: 800, discount: 0 }).tax).toBe(99);
    expect(lineAmounts({ quantity: 1, unitPrice: 1231, taxRate: 800, discount: 0 }).tax).toBe(98);
    expect(formatMoney(6534, 'JPY')).toBe('6,534 JPY');
  });

  it('when the currency has three decimals (KWD, BHD), then amounts are in fils and tax rounds to the fils', () => {
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('BHD')).toBe(3);
    // 2 × 1.275 KWD = 2.550; 5 % = 0.1275 → 0.128; total 2.678
    expect(lineAmounts({ quantity: 2, unitPrice: 1275, taxRate: 500, discount: 0 })).toMatchObject({ net: 2550, tax: 128, total: 2678 });
    expect(formatMoney(2678, 'KWD')).toBe('2.678 KWD');
    // 0.333 BHD at 10 % = 0.0333 → 0.033; total 0.366
    expect(lineAmounts({ quantity: 1, unitPrice: 333, taxRate: 1000, discount: 0 })).toMatchObject({ tax: 33, total: 366 });
    expect(formatMoney(366, 'BHD')).toBe('0.366 BHD');
    expect(formatMoney(5, 'KWD')).toBe('0.005 KWD');
  });

  it('when a document has several lines, then its totals are the sums of the rounded lines', () => {
    const lines = [
      lineAmounts({ quantity: 3, unitPrice: 1999, taxRate: 2000, discount: 0 }),
      lineAmounts({ quantity: 2, unitPrice: 2500, taxRate: 1900, discount: 750 }),
    ];
    // subtotal 59.97 + 50.00 = 109.97; discounts 7.50; tax 11.99 + 8.08 = 20.07; total 71.96 + 50.58 = 122.54
    expect(documentTotals(lines)).toEqual({ subtotal: 10997, discountTotal: 750, taxTotal: 2007, total: 12254 });
  });

  it('when tax is rounded per line, then three half-cent taxes make 3 cents, not the 2 of rounding the sum', () => {
    const line = lineAmounts({ quantity: 1, unitPrice: 5, taxRate: 1000, discount: 0 }); // 0.5 → 1
    expect(documentTotals([line, line, line])).toEqual({ subtotal: 15, discountTotal: 0, taxTotal: 3, total: 18 });
  });

  it('when dividing negative amounts, then halves round away from zero too', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(-4n, 3n)).toBe(-1n);
    expect(divideRounded(7n, 7n)).toBe(1n);
    expect(formatMoney(-123456, 'EUR')).toBe('-1,234.56 EUR');
  });

  it('when the largest safe amount is formatted, then every digit is exact (no float division on the way)', () => {
    // 9007199254740991 / 1000 is not representable as a double: formatting goes through the exact decimal string
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'KWD')).toBe('9,007,199,254,740.991 KWD');
    expect(formatMoney(0, 'EUR')).toBe('0.00 EUR');
    expect(formatMoney(7, 'EUR')).toBe('0.07 EUR');
  });

  it('when a line cannot be computed exactly, then it is refused', () => {
    expect(() => lineAmounts({ quantity: 1.234, unitPrice: 100, taxRate: 0, discount: 0 })).toThrow(MoneyError);
    expect(() => lineAmounts({ quantity: 1, unitPrice: 100, taxRate: 0, discount: 101 })).toThrow(MoneyError);
    expect(() => lineAmounts({ quantity: 1, unitPrice: 10.5, taxRate: 0, discount: 0 })).toThrow(MoneyError);
  });
});
