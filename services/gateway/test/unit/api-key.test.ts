import { displayPrefix, generateApiKey, hashApiKey, KEY_PREFIX, looksLikeApiKey } from '../../src/domain/api-key';

const SAMPLE = `pl_live_${'a'.repeat(40)}`;

describe('API keys', () => {
  it('when a key is generated, then it is pl_live_ and 40 base62 characters, and no two are alike', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey());

    for (const key of keys) expect(key).toMatch(/^pl_live_[0-9A-Za-z]{40}$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every(looksLikeApiKey)).toBe(true);
  });

  it('when a key is hashed, then it is the hex SHA-256 of its UTF-8 text (as `sha256sum` gives it)', () => {
    // printf 'pl_live_aaaa…a' (40 a) | sha256sum
    expect(hashApiKey(SAMPLE)).toBe('2116e5defe4346755a3b936c096efc07a11a944295df9b9191e060681404bdbd');
    expect(hashApiKey(`${SAMPLE}b`)).not.toBe(hashApiKey(SAMPLE));
  });

  it('when a key is listed, then only the prefix and four characters show', () => {
    expect(displayPrefix('pl_live_Ab3xRESTOFTHEKEY0000000000000000000000')).toBe('pl_live_Ab3x…');
    expect(displayPrefix(SAMPLE).startsWith(KEY_PREFIX)).toBe(true);
  });

  it.each([
    ['', false],
    ['pl_live_', false],
    [`pl_live_${'a'.repeat(31)}`, false],
    [`pl_live_${'a'.repeat(32)}`, true],
    [`pl_live_${'a'.repeat(128)}`, true],
    [`pl_live_${'a'.repeat(129)}`, false],
    [`pl_test_${'a'.repeat(40)}`, false],
    [`pl_live_${'a'.repeat(39)}-`, false],
    [` ${SAMPLE}`, false],
  ])('when %j is presented, then it looks like a key: %s (nothing else reaches the database)', (candidate, expected) => {
    expect(looksLikeApiKey(candidate)).toBe(expected);
  });
});
