import { requestIdOf, routeTemplate } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';

import type { AuditLog } from '../../data-access/audit-log.repository';
import type { Garage } from '../../data-access/tenancy.model';
import { maybeCallerOf } from './authenticate';

/** Records one audit/usage line per API request when the response is finished (never blocks it). */
export function auditTrail(audit: AuditLog) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let bytes = 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      bytes += byteLength(chunk);
      return write(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') bytes += byteLength(chunk);
      return end(chunk, ...rest);
    }) as Response['end'];

    res.on('finish', () => {
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
        responseBytes: bytes,
        userAgent: req.header('user-agent') ?? null,
        clientIp: req.ip ?? null,
        errorCode: (res.locals.errorCode as string | undefined) ?? null,
      });
    });
    next();
  };
}

function byteLength(chunk: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk);
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}
