import { computeCheckDigit, decodeVin, vinProblems } from '../../src/domain/vin';

/** Real VINs from public sources; each check digit was recomputed by hand-written 49 CFR 565 code
 * outside this service before being listed here. */
const realVins: [vin: string, manufacturer: string, country: string, region: string, year: number, checkDigitValid: boolean][] = [
  ['1HGCM82633A004352', 'Honda', 'United States', 'North America', 2003, true],
  ['1M8GDM9AXKP042788', 'Motor Coach Industries', 'United States', 'North America', 1989, true],
  ['2T1BURHE0JC014702', 'Toyota', 'Canada', 'North America', 2018, true],
  ['JH4KA7561PC008269', 'Acura', 'Japan', 'Asia', 1993, true],
  ['1GNEK13ZX3R298984', 'Chevrolet', 'United States', 'North America', 2003, true],
  ['JN1AZ4EH7DM430111', 'Nissan', 'Japan', 'Asia', 2013, true],
  ['1XPTD40X6JD456115', 'Peterbilt', 'United States', 'North America', 1988, true],
  ['WBAVD33556KL51323', 'BMW', 'Germany', 'Europe', 2006, true],
  ['WBS2U7C05L7E99189', 'BMW M', 'Germany', 'Europe', 2020, true],
  ['2FMPK4J97NBA08224', 'Ford', 'Canada', 'North America', 2022, true],
  ['WP0ZZZ99ZTS392124', 'Porsche', 'Germany', 'Europe', 1996, false],
  ['WVWZZZ1KZ6W612305', 'Volkswagen', 'Germany', 'Europe', 2006, false],
  ['JTMHY7AJ5E4012345', 'Toyota', 'Japan', 'Asia', 2014, false],
];

describe('VIN decoding (offline, 49 CFR 565 / ISO 3779)', () => {
  it.each(realVins)('when %s is decoded, then maker, country, region, year and check digit come out', (vin, manufacturer, country, region, year, valid) => {
    expect(vinProblems(vin)).toEqual([]);
    const decoded = decodeVin(vin);
    expect(decoded).toMatchObject({ vin, wmi: vin.slice(0, 3), manufacturer, country, region, modelYear: year, checkDigitValid: valid });
    expect(decoded.modelYearCandidates).toContain(year);
    expect(decoded.modelYearCandidates).toHaveLength(2);
  });

  it('when a VIN has a wrong check digit, then the computed digit is reported instead of refusing it', () => {
    expect(computeCheckDigit('JTMHY7AJ5E4012345')).toBe('X');
    expect(decodeVin('JTMHY7AJ5E4012345')).toMatchObject({ checkDigit: '5', computedCheckDigit: 'X', checkDigitValid: false });
  });

  it('when position 10 repeats every 30 years, then position 7 picks the candidate (digit: 1980–2009, letter: 2010–2039)', () => {
    expect(decodeVin('1HGCM82633A004352').modelYearCandidates).toEqual([2003, 2033]);
    expect(decodeVin('2T1BURHE0JC014702')).toMatchObject({ modelYearCandidates: [1988, 2018], modelYear: 2018 });
  });

  it('when the WMI is not in the table, then manufacturer is null but the country and region still decode', () => {
    expect(decodeVin('1ZZZZZZZZZZ000000')).toMatchObject({ manufacturer: null, country: 'United States', region: 'North America' });
  });

  it('when input is lower case or padded, then it is decoded as the upper-case VIN', () => {
    expect(decodeVin(' 1hgcm82633a004352 ')).toMatchObject({ vin: '1HGCM82633A004352', manufacturer: 'Honda' });
  });

  it.each([
    ['too short', '1HGCM82633A00435', 'must be 17 characters (got 16)'],
    ['too long', '1HGCM82633A0043521', 'must be 17 characters (got 18)'],
    ['letter I', '1HGCM82633I004352', 'must not contain the letters I, O or Q'],
    ['letter O', '1HGCM8O633A004352', 'must not contain the letters I, O or Q'],
    ['letter Q', 'QHGCM82633A004352', 'must not contain the letters I, O or Q'],
    ['punctuation', '1HGCM82633A-04352', 'may contain only letters and digits'],
  ])('when the VIN is malformed (%s), then the problem is named on field vin', (_why, vin, message) => {
    expect(vinProblems(vin)).toEqual([{ field: 'vin', message }]);
  });
});
