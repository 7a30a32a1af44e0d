import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const PREFIX = 'whsec_';
/** Decoded HMAC keys by secret: a secret signs hundreds of times a second, and decoding it and
 * building its key object each time was measurable (issue 16). Bounded; cleared when full. */
const KEYS = new Map<string, KeyObject>();
const MAX_KEYS = 10_000;

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

function keyOf(secret: string): KeyObject {
  let key = KEYS.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64'));
    if (KEYS.size >= MAX_KEYS) KEYS.clear();
    KEYS.set(secret, key);
  }
  return key;
}

/** `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the decoded secret (Standard Webhooks). */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${digest}`;
}

/** During a rotation's overlap both the new and the previous secret sign, space-separated, so a
 * receiver that still has the old secret keeps verifying. */
export function signatureHeader(secrets: string[], id: string, timestampSeconds: number, body: string): string {
  return secrets.map((secret) => sign(secret, id, timestampSeconds, body)).join(' ');
}
