/**
 * Barcodes are stored exactly as given (shops print their own Code 128 labels), but numeric codes of
 * GTIN length with a valid check digit are also normalised to GTIN-14, so the same product is found
 * whether a scanner reads its UPC-A (12 digits) or its EAN-13 (13 digits, leading zero).
 */
export type BarcodeFormat = 'gtin8' | 'gtin12' | 'gtin13' | 'gtin14' | 'other';

export const MAX_BARCODE_LENGTH = 48;
const PRINTABLE_ASCII = /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/;
const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/** Why a code cannot be a barcode, or null when it can (printable ASCII, no surrounding spaces, 1–48 characters). */
export function barcodeProblem(code: string): string | null {
  if (code.length === 0) return 'must not be empty';
  if (code.length > MAX_BARCODE_LENGTH) return `must be at most ${MAX_BARCODE_LENGTH} characters`;
  if (!PRINTABLE_ASCII.test(code)) return 'must be printable ASCII without leading or trailing spaces';
  return null;
}

/** GS1 mod-10: from the right (check digit excluded), weights 3, 1, 3, … */
export function hasValidGtinCheckDigit(digits: string): boolean {
  let sum = 0;
  const body = digits.slice(0, -1);
  for (let i = 0; i < body.length; i++) {
    const weight = i % 2 === 0 ? 3 : 1;
    sum += Number(body[body.length - 1 - i]) * weight;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

export function barcodeFormat(code: string): BarcodeFormat {
  if (/^\d+$/.test(code) && GTIN_LENGTHS.has(code.length) && hasValidGtinCheckDigit(code)) {
    return `gtin${code.length}` as BarcodeFormat;
  }
  return 'other';
}

/** The lookup key: GTINs zero-padded to 14 digits (left padding keeps the check digit valid),
 * anything else as given. The prefixes keep the two spaces apart. */
export function barcodeLookupKey(code: string): string {
  return barcodeFormat(code) === 'other' ? `o:${code}` : `g:${code.padStart(14, '0')}`;
}
