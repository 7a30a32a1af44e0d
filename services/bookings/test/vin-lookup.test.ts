import { startHarness, type Harness } from './factories';

/** The route only: decoding itself is covered case by case in unit/vin.test.ts. */
describe('GET /vehicles/vin-lookup', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it('when a real VIN is looked up, then the partner gets the decoded maker, country, region, year and check digit', async () => {
    const reply = await h.garage().get('/vehicles/vin-lookup?vin=2T1BURHE0JC014702');
    expect(reply.status).toBe(200);
    expect(reply.data).toMatchObject({
      vin: '2T1BURHE0JC014702',
      wmi: '2T1',
      manufacturer: 'Toyota',
      country: 'Canada',
      region: 'North America',
      modelYearCandidates: [1988, 2018],
      modelYear: 2018,
      checkDigitValid: true,
    });
  });

  it('when a VIN has a wrong check digit, then it is reported, not refused', async () => {
    const reply = await h.garage().get('/vehicles/vin-lookup?vin=JTMHY7AJ5E4012345');
    expect(reply.status).toBe(200);
    expect(reply.data).toMatchObject({ checkDigit: '5', computedCheckDigit: 'X', checkDigitValid: false });
  });

  it.each([
    ['too short', '1HGCM82633A00435'],
    ['letter O', '1HGCM8O633A004352'],
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
