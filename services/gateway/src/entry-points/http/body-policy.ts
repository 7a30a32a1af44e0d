import type { ClientRequest, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { errors } from '@pitlane/core';
import type { Request } from 'express';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A reset of a reused socket before any response byte, on an idempotent request whose body (none:
 * a streamed body cannot be replayed) is not needed again. */
export function isRetryable(error: Error, req: Request, proxyReq: ClientRequest | undefined, res: ServerResponse | Socket): boolean {
  return (
    (error as NodeJS.ErrnoException).code === 'ECONNRESET' &&
    proxyReq?.reusedSocket === true &&
    IDEMPOTENT.has(req.method) &&
    !hasBody(req) &&
    'headersSent' in res &&
    !res.headersSent
  );
}

function hasBody(req: Request): boolean {
  const length = req.header('content-length');
  return req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** JSON everywhere, multipart on the upload route: anything else is refused here, before it costs an
 * upstream socket (a 300 KB text/plain body the service would refuse unread is what poisoned the pool). */
export function assertSupportedBody(req: Request, upload: boolean): void {
  if (!hasBody(req)) return;
  const type = (req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const json = type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
  if (json || (upload && type === 'multipart/form-data')) return;
  throw errors.unsupportedMediaType(
    upload ? 'Send the file as multipart/form-data.' : 'Send the request body as application/json.',
  );
}
