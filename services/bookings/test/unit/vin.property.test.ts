import fc from 'fast-check';

import { computeCheckDigit, decodeVin, vinProblems } from '../../src/domain/vin';

/** Properties of VIN handling over generated VINs (real VINs and hand-checked digits are in
 * vin.test.ts): what the 49 CFR 565 check digit guarantees, and that decoding loses nothing. */

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'.split('');
const vinChar = fc.constantFrom(...VIN_CHARS);
/** A well-formed VIN with a correct check digit at position 9. */
const validVin = fc.array(vinChar, { minLength: 17, maxLength: 17 }).map((chars) => {
  const draft = chars.join('');
  return `${draft.slice(0, 8)}${computeCheckDigit(draft)}${draft.slice(9)}`;
});
/** 49 CFR 565.15 transliteration, typed from the regulation: letters to values, digits are themselves */
const LETTER_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const value = (char: string) => (/\d/.test(char) ? Number(char) : (LETTER_VALUES[char] as number));

describe('VIN properties', () => {
  it('when a VIN is built from the allowed characters with its check digit, then it is well-formed and decodes as valid', () => {
    fc.assert(
      fc.property(validVin, (vin) => {
        expect(vinProblems(vin)).toEqual([]);
        expect(decodeVin(vin).checkDigitValid).toBe(true);
      }),
    );
  });

  it('when one character of a valid VIN is mistyped as one with another value, then the check digit catches it', () => {
    // weights 1–10 and value differences 1–9 are never multiples of 11, so a single substitution always
    // changes the sum modulo 11 (position 9 has weight 0: it is the check digit itself)
    fc.assert(
      fc.property(validVin, fc.integer({ min: 0, max: 16 }).filter((i) => i !== 8), vinChar, (vin, position, replacement) => {
        fc.pre(value(replacement) !== value(vin[position] as string));
        const typo = `${vin.slice(0, position)}${replacement}${vin.slice(position + 1)}`;
        expect(decodeVin(typo).checkDigitValid).toBe(false);
      }),
    );
  });

  it('when a VIN is typed in lower case or with surrounding spaces, then it decodes exactly as the canonical form', () => {
    fc.assert(
      fc.property(validVin, fc.constantFrom('', ' ', '  ', '\t'), (vin, pad) => {
        const typed = `${pad}${vin.toLowerCase()}${pad}`;
        expect(vinProblems(typed)).toEqual([]);
        expect(decodeVin(typed)).toEqual(decodeVin(vin));
      }),
    );
  });

  it('when a VIN is decoded, then its sections put back together give the VIN and the two model years are 30 apart', () => {
    fc.assert(
      fc.property(validVin, (vin) => {
        const decoded = decodeVin(vin);
        expect(`${decoded.wmi}${decoded.vds}${decoded.vis}`).toBe(vin);
        expect(decoded.vis.endsWith(decoded.serialNumber)).toBe(true);
        if (decoded.modelYearCandidates.length === 2) {
          const [older = 0, newer = 0] = decoded.modelYearCandidates;
          expect(newer - older).toBe(30);
          expect(decoded.modelYearCandidates).toContain(decoded.modelYear);
        } else {
          expect(decoded.modelYear).toBeNull();
        }
      }),
    );
  });

  it('when a string has the wrong length or a forbidden character, then it is reported as not a VIN', () => {
    const forbidden = fc.constantFrom('I', 'O', 'Q', '-', '*', 'é', '_');
    fc.assert(
      fc.property(validVin, fc.integer({ min: 0, max: 16 }), forbidden, (vin, position, bad) => {
        expect(vinProblems(`${vin.slice(0, position)}${bad}${vin.slice(position + 1)}`)).not.toEqual([]);
        expect(vinProblems(vin.slice(0, position))).not.toEqual([]);
        expect(vinProblems(`${vin}${vin[position] as string}`)).not.toEqual([]);
      }),
    );
  });
});
