import { requestIdOf, routeTemplate } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';

import type { AuditLog } from '../../data-access/audit-log.repository';
import type { Garage } from '../../data-access/tenancy.model';
import { maybeCallerOf } from './authenticate';
import { streamedBytesOf } from './proxy';

/** Records one audit/usage line per API request when the response is finished (never blocks it).
 * The size comes from the response's Content-Length (every JSON answer has one), or from the byte
 * counter the proxy keeps for an upstream that streams without one: no wrapping of res.write/end. */
export function auditTrail(audit: AuditLog) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const caller = maybeCallerOf(res);
      const garage = res.locals.garage as Garage | undefined;
      audit.record({
        timestamp: new Date(),
        requestId: requestIdOf(res),
        keyId: caller?.key._id ?? null,
        organisationId: caller?.organisation._id ?? null,
        garageId: garage?._id ?? null,
        method: req.method,
        route: routeTemplate(req, res),
        status: res.statusCode,
        latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
        responseBytes: bodyBytes(req, res),
        userAgent: req.headers['user-agent'] ?? null,
        clientIp: req.ip ?? null,
        errorCode: (res.locals.errorCode as string | undefined) ?? null,
      });
    });
    next();
  };
}

/** Body bytes sent: none for HEAD, 204 and 304 (their Content-Length describes a body never sent). */
function bodyBytes(req: Request, res: Response): number {
  if (req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) return 0;
  const length = res.getHeader('content-length');
  if (length !== undefined) return Number(length) || 0;
  return streamedBytesOf(res) ?? 0;
}
