import { verifyInternalToken } from '@pitlane/core';

import type { Garage } from '../../src/data-access/tenancy.model';
import type { Caller } from '../../src/entry-points/http/authenticate';
import { InternalTokens } from '../../src/entry-points/http/internal-tokens';

const SECRET = 'unit-internal-secret-0123456789abcdefghij';
const caller = (permission: 'read' | 'read_write' = 'read_write') =>
  ({ key: { _id: 'key_1', permission }, organisation: { _id: 'org_1' } }) as unknown as Caller;
const garage = (overrides: Partial<Garage> = {}) =>
  ({ _id: 'gar_1', name: 'Oficina', timezone: 'Europe/Lisbon', currency: 'EUR', ...overrides }) as Garage;

/** The clock both the cache and the JWT's iat read (a token signed a second later differs from the first). */
const at = (ms: number) => {
  jest.setSystemTime(ms);
  return ms;
};

describe('internal tokens per principal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when the same key calls the same garage within 15 s, then the signed token is reused', () => {
    const tokens = new InternalTokens(SECRET, 60);
    const first = tokens.for(caller(), garage(), at(1_000_000));
    expect(tokens.for(caller(), garage(), at(1_014_999))).toBe(first);
    expect(verifyInternalToken(first, SECRET)).toMatchObject({ organisationId: 'org_1', keyId: 'key_1', permission: 'read_write', garageId: 'gar_1', garage: { timezone: 'Europe/Lisbon', currency: 'EUR' } });
  });

  it('when a quarter of the lifetime has passed, then a new token is signed (services always get ≥ 3/4 of the TTL)', () => {
    const tokens = new InternalTokens(SECRET, 20); // a quarter: 5 s
    const first = tokens.for(caller(), garage(), at(1_000_000));
    expect(tokens.for(caller(), garage(), at(1_004_999))).toBe(first);
    const renewed = tokens.for(caller(), garage(), at(1_005_000));
    expect(renewed).not.toBe(first);
  });

  it('when the permission or the garage facts change, or another garage is called, then the token says so at once', () => {
    const tokens = new InternalTokens(SECRET, 60);
    const first = tokens.for(caller(), garage(), at(1_000_000));
    expect(verifyInternalToken(tokens.for(caller('read'), garage(), at(1_001_000)), SECRET).permission).toBe('read');
    expect(verifyInternalToken(tokens.for(caller(), garage({ timezone: 'Europe/Madrid' }), at(1_002_000)), SECRET).garage?.timezone).toBe('Europe/Madrid');
    expect(verifyInternalToken(tokens.for(caller(), garage({ _id: 'gar_2' }), at(1_003_000)), SECRET).garageId).toBe('gar_2');
    expect(tokens.for(caller(), garage(), at(1_004_000))).not.toBe(first); // the Madrid one replaced it
  });
});
