import { barcodeFormat, barcodeLookupKey, barcodeProblem, hasValidGtinCheckDigit } from '../../src/domain/barcode';

describe('barcodes and GTINs', () => {
  it.each([
    ['036000291452', 'gtin12'], // UPC-A: 3×(0+6+0+2+1+5)+(3+0+0+9+4) = 42+16 = 58 → check 2
    ['0036000291452', 'gtin13'],
    ['00036000291452', 'gtin14'],
    ['4006381333931', 'gtin13'], // EAN-13 with check digit 1
    ['96385074', 'gtin8'],
    ['6291041500123', 'other'], // the seed's code: check digit should be 0, is 3
    ['4006381333932', 'other'], // one off
    ['12345', 'other'], // not a GTIN length
    ['BAY 3/Shelf-A1', 'other'],
  ])('when the code is %s, then its format is %s', (code, format) => {
    expect(barcodeFormat(code)).toBe(format);
  });

  it('when a check digit is computed, then GS1 mod-10 weights 3,1,3… from the right', () => {
    expect(hasValidGtinCheckDigit('036000291452')).toBe(true);
    expect(hasValidGtinCheckDigit('036000291453')).toBe(false);
  });

  it('when UPC-A, EAN-13 and GTIN-14 name the same product, then they share one lookup key; other codes are kept as given', () => {
    const keys = ['036000291452', '0036000291452', '00036000291452'].map(barcodeLookupKey);
    expect(new Set(keys)).toEqual(new Set(['g:00036000291452']));
    expect(barcodeLookupKey('6291041500123')).toBe('o:6291041500123');
    expect(barcodeLookupKey('00012345')).not.toBe(barcodeLookupKey('12345'));
  });

  it.each([
    ['', 'must not be empty'],
    ['A'.repeat(49), 'must be at most 48 characters'],
    [' lead', 'must be printable ASCII without leading or trailing spaces'],
    ['tab\there', 'must be printable ASCII without leading or trailing spaces'],
    ['caf\u00e9', 'must be printable ASCII without leading or trailing spaces'],
  ])('when the code is %j, then it is refused: %s', (code, problem) => {
    expect(barcodeProblem(code)).toBe(problem);
  });

  it('when the code is printable with inner spaces and at most 48 characters, then it is accepted', () => {
    expect(barcodeProblem('BAY 3/Shelf-A1')).toBeNull();
    expect(barcodeProblem('A'.repeat(48))).toBeNull();
  });
});
