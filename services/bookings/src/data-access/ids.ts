import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Opaque ids such as `cus_3fK9…`: the prefix tells a partner (and a log reader) what it names. */
export function newId(prefix: string, length = 20): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const byte of bytes) {
    if (byte >= 248) continue; // 248 = 62 * 4: drop the tail so every character is equally likely
    out += ALPHABET[byte % 62];
    if (out.length === length) break;
  }
  return out.length === length ? `${prefix}_${out}` : newId(prefix, length);
}
