import jwt from 'jsonwebtoken';

import { signInternalToken, VerifiedTokens } from '../../src/internal-auth';

const SECRET = 'unit-internal-secret-0123456789abcdefghij';
const claims = { organisationId: 'org_1', keyId: 'key_1', permission: 'read_write' as const, garageId: 'gar_1', garage: { name: 'G', timezone: 'Europe/London', currency: 'GBP' } };

describe('verified internal tokens (cached until they expire)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_800_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('when the same token comes again, then its claims are answered without verifying it again', () => {
    const tokens = new VerifiedTokens(SECRET);
    const token = signInternalToken(claims, SECRET, 60);
    const verify = jest.spyOn(jwt, 'verify');
    expect(tokens.verify(token)).toMatchObject({ keyId: 'key_1', garageId: 'gar_1', permission: 'read_write' });
    expect(tokens.verify(token)).toMatchObject({ keyId: 'key_1', garageId: 'gar_1' });
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockRestore();
  });

  it('when a cached token reaches its expiry, then it is refused as jsonwebtoken would refuse it', () => {
    const tokens = new VerifiedTokens(SECRET);
    const token = signInternalToken(claims, SECRET, 60);
    tokens.verify(token);
    jest.setSystemTime(Date.now() + 59_999);
    expect(() => tokens.verify(token)).not.toThrow();
    jest.setSystemTime(Date.now() + 1);
    expect(() => tokens.verify(token)).toThrow(/expired/);
  });

  it('when a token differs from a cached one only in its signature, then it is verified afresh and refused', () => {
    const tokens = new VerifiedTokens(SECRET);
    const token = signInternalToken(claims, SECRET, 60);
    tokens.verify(token);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    expect(() => tokens.verify(forged)).toThrow(/signature/);
    const otherSecret = signInternalToken(claims, `${SECRET}-other`, 60);
    expect(() => tokens.verify(otherSecret)).toThrow(/signature/);
  });

  it('when more distinct tokens come than it keeps, then it starts over instead of growing', () => {
    const tokens = new VerifiedTokens(SECRET, 3);
    const signed = ['key_1', 'key_2', 'key_3', 'key_4'].map((keyId) => signInternalToken({ ...claims, keyId }, SECRET, 60));
    const verify = jest.spyOn(jwt, 'verify');
    for (const token of signed) tokens.verify(token);
    tokens.verify(signed[3]!); // kept after the reset
    tokens.verify(signed[0]!); // dropped by it: verified again
    expect(verify).toHaveBeenCalledTimes(5);
    verify.mockRestore();
  });
});
