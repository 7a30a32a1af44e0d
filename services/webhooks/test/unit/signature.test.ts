import { generateSecret, sign, signatureHeader } from '../../src/domain/signature';

describe('signatures (Standard Webhooks)', () => {
  it('when a message is signed, then the signature matches the Standard Webhooks reference vector', () => {
    const signature = sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('when two secrets sign (rotation overlap), then the header carries both signatures, current first', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const header = signatureHeader([current, previous], 'msg_1', 1614265330, '{}');
    expect(header).toBe(`${sign(current, 'msg_1', 1614265330, '{}')} ${sign(previous, 'msg_1', 1614265330, '{}')}`);
  });

  it('when a secret is generated, then it is whsec_ and base64 of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });
});
