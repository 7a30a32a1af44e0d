import { createHash, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const KEY_PREFIX = 'pl_live_';
const RANDOM_LENGTH = 40; // 40 × log2(62) ≈ 238 bits
const KEY_PATTERN = /^pl_live_[0-9A-Za-z]{32,128}$/;

/** A new raw key: shown to its owner once, never stored or logged. randomInt is a CSPRNG without modulo bias. */
export function generateApiKey(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(BASE62.length)];
  return `${KEY_PREFIX}${random}`;
}

/** What is stored and looked up: SHA-256 of the key (the key itself has ~238 bits of entropy, so a fast hash is enough). */
export function hashApiKey(rawKey: string): string {
  // Stryker disable next-line StringLiteral: without an encoding Node hashes a string as UTF-8 anyway
  return createHash('sha256').update(rawKey, 'utf8').digest('hex');
}

/** What lists show: `pl_live_a1b2…` */
export function displayPrefix(rawKey: string): string {
  return `${rawKey.slice(0, KEY_PREFIX.length + 4)}…`;
}

export function looksLikeApiKey(candidate: string): boolean {
  return KEY_PATTERN.test(candidate);
}
