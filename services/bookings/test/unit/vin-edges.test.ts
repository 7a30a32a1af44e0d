import { countryOf, decodeVin, modelYearsOf, vinProblems } from '../../src/domain/vin';

/** VIN edges the main tests leave open (issue 18): the exact ends of country ranges, the first and
 * unknown year codes, padded input, the VIN's sections and a first character of no region. */
const vin = (start: string) => `${start}${'1'.repeat(17 - start.length)}`;

describe('VIN edges', () => {
  it.each([
    ['KA', null], // before Israel's range
    ['KF', 'Israel'], // first of the range
    ['KK', 'Israel'], // last of the range
    ['KL', 'South Korea'], // first of the next range
    ['KR', 'South Korea'],
    ['KS', null], // after it: S..Z and 0 are no-one's
    ['K1', 'South Korea'],
    ['AH', 'South Africa'],
    ['AJ', "Côte d'Ivoire"],
    ['AL', null],
  ])('when the VIN starts %s, then the country is %s', (start, country) => {
    expect(countryOf(vin(start))).toBe(country);
  });

  it('when position 10 is A, then the years are 1980 and 2010; a code that is no year gives none', () => {
    expect(modelYearsOf('1HGCM8263AA004352')).toEqual({ candidates: [1980, 2010], likely: 1980 });
    expect(modelYearsOf('1HGCM8B63AA004352')).toEqual({ candidates: [1980, 2010], likely: 2010 });
    expect(modelYearsOf('1HGCM82630A004352')).toEqual({ candidates: [], likely: null }); // 0 is never a year code
    expect(modelYearsOf('1HGCM8263UA004352')).toEqual({ candidates: [], likely: null }); // nor U
  });

  it('when a well-formed VIN comes lower case with spaces around it, then it has no problems', () => {
    expect(vinProblems(' 1hgcm82633a004352 ')).toEqual([]);
  });

  it('when a VIN is decoded, then its sections are the WMI, VDS, VIS and the serial number', () => {
    expect(decodeVin('1HGCM82633A004352')).toEqual({
      vin: '1HGCM82633A004352',
      wmi: '1HG',
      vds: 'CM8263',
      vis: '3A004352',
      checkDigit: '3',
      computedCheckDigit: '3',
      checkDigitValid: true,
      manufacturer: 'Honda',
      country: 'United States',
      region: 'North America',
      modelYearCode: '3',
      modelYearCandidates: [2003, 2033],
      modelYear: 2003,
      serialNumber: '004352',
    });
  });

  it('when the first character belongs to no region, then region and country are null rather than an error', () => {
    expect(decodeVin('0HGCM82633A004352')).toMatchObject({ region: null, country: null, manufacturer: null });
  });
});
