import { SecretBox } from '../../src/domain/secret-box';

describe('secret box (signing secrets at rest)', () => {
  it('when a secret is sealed, then only the same key opens it and tampering is detected', () => {
    const box = new SecretBox(Buffer.alloc(32, 1));
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(box.seal('whsec_abc')).not.toBe(sealed); // fresh IV each time
    expect(box.open(sealed)).toBe('whsec_abc');
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow();
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open(tampered)).toThrow();
  });

  it('when there is no key, then secrets are stored as they are and an encrypted one cannot be opened', () => {
    const sealed = new SecretBox(Buffer.alloc(32, 1)).seal('whsec_abc');
    expect(() => new SecretBox(null).open(sealed)).toThrow(/WEBHOOK_SECRETS_KEY/);
    expect(new SecretBox(null).seal('whsec_plain')).toBe('whsec_plain');
    // a key introduced later still reads the secrets stored before it
    expect(new SecretBox(Buffer.alloc(32, 1)).open('whsec_plain')).toBe('whsec_plain');
  });
});
