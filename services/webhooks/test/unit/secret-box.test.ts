import { createCipheriv, randomBytes } from 'node:crypto';

import { parseSecretKeys, SecretBox } from '../../src/domain/secret-box';

const k1 = { id: 'k1', key: Buffer.alloc(32, 1) };
const k2 = { id: 'k2', key: Buffer.alloc(32, 2) };

/** What the previous release stored: `enc:v1:` + base64(iv | tag | ciphertext), one unnamed key. */
function sealedV1(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return 'enc:v1:' + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

describe('secret box (signing secrets at rest)', () => {
  it('when a secret is sealed, then it carries the key id, only that key opens it and tampering is detected', () => {
    const box = new SecretBox([k1]);
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^enc:v2:k1:/);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.seal('whsec_abc')).not.toBe(sealed); // fresh IV each time
    expect(box.open(sealed)).toBe('whsec_abc');
    // another key under the same id does not open it
    expect(() => new SecretBox([{ id: 'k1', key: k2.key }]).open(sealed)).toThrow();
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open(tampered)).toThrow();
    // the key id is authenticated: relabelling the ciphertext for another configured key fails
    expect(() => new SecretBox([k1, { id: 'k9', key: k1.key }]).open(sealed.replace('enc:v2:k1:', 'enc:v2:k9:'))).toThrow();
  });

  it('when there is no key, then there is no box (there is no plain-text mode)', () => {
    expect(() => new SecretBox([])).toThrow(/WEBHOOK_SECRETS_KEYS/);
    expect(() => new SecretBox([{ id: 'short', key: Buffer.alloc(16) }])).toThrow(/32 bytes/);
  });

  it('when keys are rotated, then the newest seals, the older ones still open, and reseal moves a value to the newest', () => {
    const old = new SecretBox([k1]).seal('whsec_old');
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.open(old)).toBe('whsec_old');
    expect(rotated.isCurrent(old)).toBe(false);
    const moved = rotated.reseal(old);
    expect(moved).toMatch(/^enc:v2:k2:/);
    expect(rotated.isCurrent(moved)).toBe(true);
    expect(rotated.reseal(moved)).toBe(moved); // already current: unchanged
    // once k1 is removed, what is still sealed with it says which key is missing (never the value)
    expect(() => new SecretBox([k2]).open(old)).toThrow(/key "k1"/);
    expect(new SecretBox([k2]).open(moved)).toBe('whsec_old');
  });

  it('when values from earlier releases are read (plain text, the unnamed-key format), then they open and are not current', () => {
    const box = new SecretBox([k2, k1]);
    expect(box.open('whsec_plain')).toBe('whsec_plain');
    expect(box.isCurrent('whsec_plain')).toBe(false);
    expect(box.reseal('whsec_plain')).toMatch(/^enc:v2:k2:/);
    const v1 = sealedV1(k1.key, 'whsec_v1');
    expect(box.open(v1)).toBe('whsec_v1'); // found by trying each key
    expect(box.open(box.reseal(v1))).toBe('whsec_v1');
    expect(() => new SecretBox([k2]).open(v1)).toThrow(/none of WEBHOOK_SECRETS_KEYS/);
  });

  it('when the key list is parsed, then ids, sizes and duplicates are checked without echoing a key', () => {
    const b64 = Buffer.alloc(32, 3).toString('base64');
    expect(parseSecretKeys(`k2:${b64}, k1:${Buffer.alloc(32, 4).toString('base64')}`)).toEqual([
      { id: 'k2', key: Buffer.alloc(32, 3) },
      { id: 'k1', key: Buffer.alloc(32, 4) },
    ]);
    expect(parseSecretKeys(b64)).toMatch(/entry 1 must be "id:base64key"/);
    expect(parseSecretKeys(`k1:${Buffer.alloc(16).toString('base64')}`)).toBe('key "k1" must be base64 of 32 bytes');
    expect(parseSecretKeys(`k1:${b64},k1:${b64}`)).toBe('key id "k1" appears twice');
    expect(parseSecretKeys(`bad id:${b64}`)).not.toContain(b64);
  });
});
