import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One encryption key of the box; `id` is written next to every ciphertext it seals. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

const V2 = 'enc:v2:';
/** the format before key ids: one key, no id (opened by trying every configured key) */
const V1 = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** opened values kept per box (see open); cleared when full */
const MAX_OPENED = 10_000;

/**
 * Signing secrets at rest: AES-256-GCM, always (there is no plain-text mode), so a copy of the
 * database alone cannot forge webhooks. Stored form: `enc:v2:<keyId>:<base64(iv | tag | ciphertext)>`.
 * The first key seals; every key opens, so keys can be rotated: put the new key first, let the
 * re-seal pass move every secret to it, then remove the old key. Values written before this
 * format (plain text, or `enc:v1:` with one unnamed key) still open, and `isCurrent` tells the
 * re-seal pass to rewrite them.
 */
export class SecretBox {
  private readonly byId: Map<string, Buffer>;
  /** Opened secrets by stored form: every event opens its garage's secrets, and an AES-GCM
   * decipher per secret per event was 6 % of the service's CPU in a burst (issue 16). A stored
   * form always opens to the same value with the same keys, and a box's keys never change. */
  private readonly opened = new Map<string, string>();

  constructor(private readonly keys: readonly SecretKey[]) {
    if (keys.length === 0) throw new Error('SecretBox needs at least one key (WEBHOOK_SECRETS_KEYS)');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`secrets key ${id} must be 32 bytes`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  /** The key new secrets are sealed with. */
  get currentKeyId(): string {
    return (this.keys[0] as SecretKey).id;
  }

  seal(secret: string): string {
    const { id, key } = this.keys[0] as SecretKey;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // the key id is authenticated too: a relabelled ciphertext does not open
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${V2}${id}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  open(stored: string): string {
    let secret = this.opened.get(stored);
    if (secret === undefined) {
      secret = this.openUncached(stored);
      if (this.opened.size >= MAX_OPENED) this.opened.clear();
      this.opened.set(stored, secret);
    }
    return secret;
  }

  private openUncached(stored: string): string {
    if (stored.startsWith(V2)) {
      const separator = stored.indexOf(':', V2.length);
      const id = stored.slice(V2.length, separator);
      const key = separator > 0 ? this.byId.get(id) : undefined;
      // names the key id (never the value), so an operator knows which key was removed too early
      if (!key) throw new Error(`a webhook secret is sealed with key "${id}", which is not in WEBHOOK_SECRETS_KEYS`);
      return decrypt(key, stored.slice(separator + 1), Buffer.from(id, 'utf8'));
    }
    if (stored.startsWith(V1)) {
      for (const { key } of this.keys) {
        try {
          return decrypt(key, stored.slice(V1.length), null);
        } catch {
          // not this key; GCM's tag tells keys apart
        }
      }
      throw new Error('a webhook secret sealed in the old format opens with none of WEBHOOK_SECRETS_KEYS');
    }
    return stored; // plain text from before encryption was mandatory: re-sealed by the re-seal pass
  }

  /** Whether a stored value is sealed with the current key (else the re-seal pass rewrites it). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${V2}${this.currentKeyId}:`);
  }

  /** The same secret sealed with the current key. */
  reseal(stored: string): string {
    return this.isCurrent(stored) ? stored : this.seal(this.open(stored));
  }
}

function decrypt(key: Buffer, payload: string, aad: Buffer | null): string {
  const raw = Buffer.from(payload, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/**
 * Parses `WEBHOOK_SECRETS_KEYS`: `id:base64,id:base64`, newest (sealing) key first; each key is
 * base64 of 32 bytes, ids are letters, digits, `_` and `-`, unique. Returns an error message
 * (never containing a key) or the keys.
 */
export function parseSecretKeys(value: string): SecretKey[] | string {
  const keys: SecretKey[] = [];
  for (const [index, part] of value.split(',').entries()) {
    const entry = part.trim();
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) return `entry ${index + 1} must be "id:base64key" with an id of letters, digits, _ or -`;
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return `key "${id}" must be base64 of 32 bytes`;
    if (keys.some((known) => known.id === id)) return `key id "${id}" appears twice`;
    keys.push({ id, key });
  }
  return keys;
}
