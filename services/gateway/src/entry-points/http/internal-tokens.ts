import { signInternalToken } from '@pitlane/core';

import type { Garage } from '../../data-access/tenancy.model';
import type { Caller } from './authenticate';

interface Entry {
  token: string;
  renewAt: number;
  /** the facts signed into the token: a change (permission, garage time zone…) signs a new one */
  facts: string;
}

const MAX_ENTRIES = 10_000;

/** The internal token per principal (key × garage), signed once and reused for a quarter of its
 * lifetime (at most 15 s), so a service always gets a token with three quarters of its TTL left.
 * Signing an HS256 JWT on every request was ~6% of a proxied request's CPU; the claims of one
 * principal do not change between its requests (the request id travels in X-Request-Id). A revoked
 * key never reaches this: authentication refuses it first. */
export class InternalTokens {
  private readonly entries = new Map<string, Entry>();
  private readonly reuseMs: number;

  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.reuseMs = Math.min(15_000, ttlSeconds * 250);
  }

  for(caller: Caller, garage: Garage, now = Date.now()): string {
    const { key, organisation } = caller;
    const id = `${key._id} ${garage._id}`;
    const facts = `${organisation._id} ${key.permission} ${garage.name} ${garage.timezone} ${garage.currency}`;
    const cached = this.entries.get(id);
    if (cached && cached.renewAt > now && cached.facts === facts) return cached.token;
    const token = signInternalToken(
      {
        organisationId: organisation._id,
        keyId: key._id,
        permission: key.permission,
        garageId: garage._id,
        garage: { name: garage.name, timezone: garage.timezone, currency: garage.currency },
      },
      this.secret,
      this.ttlSeconds,
    );
    // bounded: past the cap start over (a re-sign costs what every request cost before)
    if (this.entries.size >= MAX_ENTRIES && !cached) this.entries.clear();
    this.entries.set(id, { token, renewAt: now + this.reuseMs, facts });
    return token;
  }
}
