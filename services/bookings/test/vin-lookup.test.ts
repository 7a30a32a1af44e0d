import { startHarness, type Harness } from './factories';

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

describe('VIN lookup (offline)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it.each(realVins)('when %s is looked up, then maker, country, region, year and check digit are decoded', async (vin, manufacturer, country, region, year, valid) => {
    const reply = await h.garage().get(`/vehicles/vin-lookup?vin=${vin}`);
    expect(reply.status).toBe(200);
    expect(reply.data).toMatchObject({ vin, wmi: vin.slice(0, 3), manufacturer, country, region, modelYear: year, checkDigitValid: valid });
    expect(reply.data.modelYearCandidates).toContain(year);
    expect(reply.data.modelYearCandidates).toHaveLength(2);
  });

  it('when a VIN has a wrong check digit, then the computed digit is reported instead of refusing it', async () => {
    const reply = await h.garage().get('/vehicles/vin-lookup?vin=JTMHY7AJ5E4012345');
    expect(reply.data).toMatchObject({ checkDigit: '5', computedCheckDigit: 'X', checkDigitValid: false });
  });

  it('when position 10 repeats every 30 years, then position 7 picks the candidate (digit: 1980–2009, letter: 2010–2039)', async () => {
    const api = h.garage();
    expect((await api.get('/vehicles/vin-lookup?vin=1HGCM82633A004352')).data.modelYearCandidates).toEqual([2003, 2033]);
    const letter = await api.get('/vehicles/vin-lookup?vin=2T1BURHE0JC014702');
    expect(letter.data).toMatchObject({ modelYearCandidates: [1988, 2018], modelYear: 2018 });
  });

  it('when the WMI is not in the table, then manufacturer is null but the country and region still decode', async () => {
    const reply = await h.garage().get('/vehicles/vin-lookup?vin=1ZZZZZZZZZZ000000');
    expect(reply.status).toBe(200);
    expect(reply.data).toMatchObject({ manufacturer: null, country: 'United States', region: 'North America' });
  });

  it.each([
    ['too short', '1HGCM82633A00435'],
    ['too long', '1HGCM82633A0043521'],
    ['letter I', '1HGCM82633I004352'],
    ['letter O', '1HGCM8O633A004352'],
    ['letter Q', 'QHGCM82633A004352'],
    ['punctuation', '1HGCM82633A-04352'],
  ])('when the VIN is malformed (%s), then it is a 400 INVALID_VIN', async (_why, vin) => {
    const reply = await h.garage().get(`/vehicles/vin-lookup?vin=${vin}`);
    expect(reply.status).toBe(400);
    expect(reply.error?.code).toBe('INVALID_VIN');
    expect(reply.error?.details?.[0]?.field).toBe('vin');
  });

  it('when the vin parameter is missing, then it is a 400', async () => {
    expect((await h.garage().get('/vehicles/vin-lookup')).status).toBe(400);
  });
});
