import { barcodeFormat, barcodeLookupKey, barcodeProblem } from '../../src/domain/barcode';

/** Edges the main barcode tests leave open (issue 18): a one-character label is a barcode, and a
 * printed code with an inner space is not a GTIN even when its digits would check out. */
describe('barcode edges', () => {
  it('when a shop label is a single character, then it is accepted', () => {
    expect(barcodeProblem('A')).toBeNull();
    expect(barcodeProblem('7')).toBeNull();
  });

  it('when a code has the digits of a valid EAN-13 but an inner space, then it is kept as given, not merged with the GTIN', () => {
    // '0036000291452' is a valid GTIN-13; with the space it is 13 characters that are not all digits
    expect(barcodeFormat('0 36000291452')).toBe('other');
    expect(barcodeLookupKey('0 36000291452')).toBe('o:0 36000291452');
    expect(barcodeLookupKey('0036000291452')).toBe('g:00036000291452');
  });
});
