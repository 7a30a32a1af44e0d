import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

import { ipLiteralOf, isForbiddenAddress } from '../../domain/address-policy';
import { parseRetryAfter } from '../../domain/retry-schedule';

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

export interface SendResult {
  /** HTTP status; null when no answer came */
  status: number | null;
  durationMs: number;
  error: string | null;
  errorMessage: string | null;
  /** the first KiB of the answer */
  responseBody: string | null;
  retryAfterMs: number | null;
}

const RESPONSE_BODY_LIMIT = 1024;
const agents = {
  http: new http.Agent({ keepAlive: true, maxFreeSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxFreeSockets: 64 }),
};

interface Attempt {
  cancelled: boolean;
  request?: http.ClientRequest;
}

class SendError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One attempt. The host is resolved here, at delivery time, every address is checked, and the
 * socket connects to the address that was checked (a pinned `lookup`), so DNS rebinding between
 * the check and the connect cannot reach a private address. Redirects are never followed.
 */
export async function sendWebhook(request: SendRequest): Promise<SendResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SendError('timeout', `no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
  });
  const attempt: Attempt = { cancelled: false };
  try {
    const answer = await Promise.race([post(request, attempt), timeout]);
    return { ...answer, durationMs: Math.round(performance.now() - started), error: null, errorMessage: null };
  } catch (error) {
    attempt.cancelled = true;
    attempt.request?.destroy();
    const { kind, message } = classify(error);
    return { status: null, durationMs: Math.round(performance.now() - started), error: kind, errorMessage: message, responseBody: null, retryAfterMs: null };
  } finally {
    clearTimeout(timer);
  }
}

async function post(
  request: SendRequest,
  attempt: Attempt,
): Promise<{ status: number; responseBody: string; retryAfterMs: number | null }> {
  const url = new URL(request.url);
  const addresses = await resolveChecked(url.hostname, request.allowPrivateTargets);
  if (attempt.cancelled) throw new SendError('timeout', 'timed out while resolving the host');
  // only the addresses checked above: every one passed, so Node may try them in turn (happy eyeballs)
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all) callback(null, addresses);
    else if (first) callback(null, first.address, first.family);
  };
  const isHttps = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: ipLiteralOf(url.hostname) ?? url.hostname,
        port: url.port || (isHttps ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        agent: isHttps ? agents.https : agents.http,
        lookup: pinned,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            responseBody: Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8'),
            retryAfterMs: parseRetryAfter(res.headers['retry-after']),
          });
        res.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
          size += chunk.length;
          // we keep only the first KiB: a receiver streaming megabytes must not hold the worker
          if (size > 64 * RESPONSE_BODY_LIMIT) res.destroy();
        });
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      },
    );
    attempt.request = req;
    req.on('error', reject);
    req.end(request.body);
  });
}

async function resolveChecked(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: number }[]> {
  const literal = ipLiteralOf(hostname);
  let addresses: { address: string; family: number }[];
  if (literal) {
    addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await lookup(hostname, { all: true });
    } catch (error) {
      throw new SendError('dns', `cannot resolve ${hostname}: ${(error as { code?: string }).code ?? 'error'}`);
    }
  }
  // every address must pass: a name with one public and one private record is refused
  const forbidden = allowPrivate ? undefined : addresses.find((entry) => isForbiddenAddress(entry.address));
  if (forbidden) throw new SendError('forbidden_address', `${hostname} resolves to ${forbidden.address}, a private or reserved address`);
  if (addresses.length === 0) throw new SendError('dns', `no address for ${hostname}`);
  return addresses;
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;

function classify(error: unknown): { kind: string; message: string } {
  if (error instanceof SendError) return { kind: error.kind, message: error.message };
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return { kind: 'connection_refused', message };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'connection_reset', message };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message };
  if (code === 'ETIMEDOUT') return { kind: 'timeout', message };
  // EPROTO with an OpenSSL message: the handshake failed (e.g. https to a plain http port)
  if (TLS_CODES.test(code) || (code === 'EPROTO' && /SSL|TLS/i.test(message))) return { kind: 'tls', message };
  return { kind: 'network', message };
}
