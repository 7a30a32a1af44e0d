/**
 * Money arithmetic of billing: every amount is an integer in the currency's minor unit (cents, yen,
 * fils), so nothing is ever lost to binary floating point. The one rounding rule of the service:
 *
 *   gross    = quantity × unitPrice                (quantity has at most 2 decimals: hundredths are
 *                                                   exact integers, the product is rounded once)
 *   net      = gross − discount                    (discount is an AMOUNT in minor units, 0 ≤ discount ≤ gross)
 *   tax      = net × taxRate / 10 000              (taxRate in basis points: 2000 = 20 %)
 *   total    = net + tax
 *
 * Every division is rounded PER LINE, HALF AWAY FROM ZERO, to the minor unit. Document totals are the
 * sums of the rounded line figures, so a printed invoice always adds up line by line.
 */

/** ISO 4217 currencies whose minor unit is not 1/100. Everything else has 2 decimals. */
const EXPONENTS: Record<string, number> = {
  // no minor unit
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // thousandths (fils, baisa, millimes, dirhams)
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** numerator / denominator rounded half away from zero, in exact integer arithmetic. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  // Stryker disable next-line EqualityOperator: for 0n both branches give 0n (-0n === 0n)
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = (magnitude * 2n + denominator) / (denominator * 2n);
  return negative ? -quotient : quotient;
}

export interface LineInput {
  /** how many; at most 2 decimals (1.5 hours of labour) */
  quantity: number;
  /** minor units per unit */
  unitPrice: number;
  /** basis points */
  taxRate: number;
  /** minor units off this line, before tax */
  discount: number;
}

export interface LineAmounts {
  gross: number;
  discount: number;
  net: number;
  tax: number;
  total: number;
}

export interface DocumentTotals {
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
}

/** Thrown for a line whose figures cannot be computed (callers validate first; this guards the domain). */
export class MoneyError extends Error {}

function toSafeNumber(value: bigint, what: string): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new MoneyError(`${what} is too large`);
  return result;
}

/** The figures of one line, by the rule at the top of this file. */
export function lineAmounts(line: LineInput): LineAmounts {
  const hundredths = Math.round(line.quantity * 100);
  // Stryker disable next-line EqualityOperator: a float error of exactly 1e-6 cannot arise from a 2-decimal quantity
  if (Math.abs(hundredths - line.quantity * 100) > 1e-6) throw new MoneyError('quantity has more than 2 decimals');
  if (!Number.isInteger(line.unitPrice) || !Number.isInteger(line.discount) || !Number.isInteger(line.taxRate)) {
    throw new MoneyError('amounts and rates must be integers');
  }
  const gross = divideRounded(BigInt(hundredths) * BigInt(line.unitPrice), 100n);
  const discount = BigInt(line.discount);
  if (discount < 0n || discount > gross) throw new MoneyError('discount must be between 0 and the line amount');
  const net = gross - discount;
  const tax = divideRounded(net * BigInt(line.taxRate), 10_000n);
  return {
    gross: toSafeNumber(gross, 'line amount'),
    // Stryker disable next-line StringLiteral: unreachable message, 0 ≤ discount ≤ gross and gross was checked first
    discount: toSafeNumber(discount, 'discount'),
    // Stryker disable next-line StringLiteral: unreachable message, net ≤ gross and gross was checked first
    net: toSafeNumber(net, 'net amount'),
    tax: toSafeNumber(tax, 'tax'),
    total: toSafeNumber(net + tax, 'line total'),
  };
}

/** Sums of the already rounded lines: subtotal (gross), discounts, tax, and what is owed. */
export function documentTotals(lines: LineAmounts[]): DocumentTotals {
  const sum = (pick: (line: LineAmounts) => number) => lines.reduce((acc, line) => acc + pick(line), 0);
  const totals = {
    subtotal: sum((l) => l.gross),
    discountTotal: sum((l) => l.discount),
    taxTotal: sum((l) => l.tax),
    total: sum((l) => l.total),
  };
  if (!Object.values(totals).every(Number.isSafeInteger)) throw new MoneyError('document total is too large');
  return totals;
}

// one formatter per exponent, kept: building an Intl.NumberFormat costs far more than using one
const formats = new Map<number, Intl.NumberFormat>();

/** `12.34 EUR`, `1,980 JPY`, `1.275 KWD`: for documents meant for people (the PDF), never for the API.
 * The integer is turned into an exact decimal string first; Intl only adds grouping and the sign, so no
 * amount ever passes through a binary float. */
export function formatMoney(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  let format = formats.get(exponent);
  // Stryker disable next-line ConditionalExpression: building the formatter every time gives the same text (the cache only saves time)
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: exponent, maximumFractionDigits: exponent });
    formats.set(exponent, format);
  }
  const digits = Math.abs(amount).toString().padStart(exponent + 1, '0');
  const decimal = exponent > 0 ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return `${format.format(`${amount < 0 ? '-' : ''}${decimal}` as `${number}`)} ${currency}`;
}
