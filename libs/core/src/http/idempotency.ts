import { createHash } from 'node:crypto';

import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

import { errors } from '../errors';

/** A stored first answer: what a replay sends again. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyRecord {
  fingerprint: string;
  state: 'in_flight' | 'done';
  response?: StoredResponse;
}

/** Where keys live: each service's own database (libs/mongo's MongoIdempotencyStore, TTL-indexed). */
export interface IdempotencyStore {
  /** Takes the key for this request, or returns whoever holds it. A record past `expiresAt`, or one
   * in flight for longer than the lease (its process died), is taken over. */
  claim(id: string, fingerprint: string, options: { ttlMs: number; leaseMs: number }): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }>;
  complete(id: string, response: StoredResponse): Promise<void>;
  /** forgets the key (a 5xx or a refused request): the retry runs for real */
  release(id: string): Promise<void>;
}

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const LEASE_MS = 60_000;
const KEY = /^[\x21-\x7e]{1,255}$/; // printable ASCII, no spaces (a UUID fits)
/** headers of the first answer that belong to the answer, not to the request (X-Request-Id is per
 * request); the internal error code too, so the gateway's audit line of a replayed error still has it */
const KEPT_HEADERS = ['content-type', 'location', 'x-pitlane-error-code'];

/**
 * Stripe's `Idempotency-Key` on every POST behind the gateway, once for every service (mounted by
 * createServiceApp after the internal token is checked):
 * - same key, same request (method, path, query and JSON body, key order ignored) → the first answer
 *   again, with `Idempotent-Replayed: true`;
 * - same key, another request → 409 IDEMPOTENCY_KEY_REUSED; the first still running → 409
 *   IDEMPOTENCY_KEY_IN_USE (retry later);
 * - kept 24 h, scoped to the caller's organisation (the internal token's), so tenants never meet.
 * Why in the services and not the gateway: a key is stored next to the data it protects, in the same
 * database, and survives what that database survives; the gateway streams bodies and would have to
 * buffer every POST to fingerprint it. A 5xx or a 400 (nothing began) is not kept: the retry runs.
 * The answer is sent only once it is recorded, so a retry after it can always replay it.
 * Multipart uploads are not covered (their bodies are streamed to storage, not fingerprinted).
 */
export function idempotency(store: IdempotencyStore, logger: Logger, ttlMs = IDEMPOTENCY_TTL_MS): RequestHandler {
  return async (req, res, next) => {
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined || req.is('multipart/form-data')) {
      next();
      return;
    }
    if (!KEY.test(key)) {
      throw errors.validation('The request is invalid.', [{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters without spaces' }]);
    }
    const scope = (res.locals.auth as { organisationId?: string } | undefined)?.organisationId ?? 'anonymous';
    const id = `${scope}|${key}`;
    const fingerprint = fingerprintOf(req);
    const claim = await store.claim(id, fingerprint, { ttlMs, leaseMs: LEASE_MS });
    if (!claim.claimed) {
      const { record } = claim;
      if (record.fingerprint !== fingerprint) {
        throw errors.conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
      }
      if (record.state !== 'done' || !record.response) {
        throw errors.conflict('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed; retry it shortly.');
      }
      replay(res, record.response);
      return;
    }
    res.locals.idempotencyKey = key;
    recordOnEnd(res, store, id, logger);
    next();
  };
}

/** The client's Idempotency-Key once the shared middleware accepted it (use-cases may keep it with
 * what they create, as a backstop should the process die between the write and the record). */
export function idempotencyKeyOf(res: Response): string | null {
  return typeof res.locals.idempotencyKey === 'string' ? res.locals.idempotencyKey : null;
}

function replay(res: Response, stored: StoredResponse): void {
  for (const [name, value] of Object.entries(stored.headers)) res.setHeader(name, value);
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(stored.status).send(Buffer.from(stored.body, 'utf8'));
}

/** Holds the answer back until it is recorded (or released), then sends it. */
function recordOnEnd(res: Response, store: IdempotencyStore, id: string, logger: Logger): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunks, chunk);
    return write(chunk, ...rest);
  }) as Response['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk !== undefined && typeof chunk !== 'function') collect(chunks, chunk);
    const status = res.statusCode;
    const settle =
      status >= 500 || status === 400
        ? store.release(id)
        : store.complete(id, { status, headers: keptHeaders(res), body: Buffer.concat(chunks).toString('utf8') });
    settle
      .catch((error: unknown) => logger.warn({ err: error }, 'cannot record the Idempotency-Key outcome'))
      .finally(() => end(chunk, ...rest));
    return res;
  }) as Response['end'];
}

function collect(chunks: Buffer[], chunk: unknown): void {
  if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, 'utf8'));
  else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
}

function keptHeaders(res: Response): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) kept[name] = String(value);
  }
  return kept;
}

function fingerprintOf(req: Request): string {
  return createHash('sha256').update(`${req.method} ${req.originalUrl}\n${canonicalJson(req.body)}`).digest('hex');
}

/** JSON with object keys sorted: `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
