import { addressOf, isCountryCode } from '../../src/domain/address';

describe('customer addresses', () => {
  it('when an old document holds a string, then it reads as line1', () => {
    expect(addressOf('1 Pit Lane, London')).toEqual({ line1: '1 Pit Lane, London', line2: null, city: null, region: null, postcode: null, country: null });
    expect(addressOf('')).toBeNull();
    expect(addressOf(null)).toBeNull();
    expect(addressOf({ line1: '1 Pit Lane', city: 'London', country: 'GB' })).toEqual({ line1: '1 Pit Lane', line2: null, city: 'London', region: null, postcode: null, country: 'GB' });
  });

  it('when a country code is checked, then only assigned ISO 3166-1 alpha-2 codes pass', () => {
    for (const code of ['GB', 'AE', 'PT', 'US', 'DE']) expect(isCountryCode(code)).toBe(true);
    for (const code of ['UK', 'EU', 'ZZ', 'XX', 'gb', 'GBR', '']) expect(isCountryCode(code)).toBe(false);
  });
});
