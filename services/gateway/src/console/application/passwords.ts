import { randomBytes } from 'node:crypto';

import { argon2id, argon2Verify } from 'hash-wasm';

/** argon2id at OWASP's second recommended setting (19 MiB, 2 passes, 1 lane): ~50 ms on this 2-core box. */
const PARAMS = { parallelism: 1, iterations: 2, memorySize: 19 * 1024, hashLength: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2id({ ...PARAMS, password, salt: randomBytes(16), outputType: 'encoded' });
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/** A stand-in hash, so an unknown email costs the same time as a wrong password (no user enumeration by timing). */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** One-time passwords (CLI, invitations): 18 random bytes, base64url (24 characters, 144 bits). */
export function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}
