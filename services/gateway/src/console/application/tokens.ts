import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

import { errors } from '@pitlane/core';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

import { ROLES, type Role } from '../domain/roles';

/** Distinct from the internal gateway→service token (issuer pitlane-gateway, audience pitlane-services). */
const ISSUER = 'pitlane-console';
const AUDIENCE = 'pitlane-console-api';

export interface AccessClaims {
  userId: string;
  organisationId: string;
  role: Role;
}

const claimsSchema = z.object({ sub: z.string().min(1), org: z.string().min(1), role: z.enum(ROLES) });

export class ConsoleTokens {
  private readonly key: KeyObject;

  constructor(
    secret: string,
    readonly accessTtlSeconds: number,
    readonly refreshTtlSeconds: number,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  signAccess(claims: AccessClaims): string {
    return jwt.sign({ org: claims.organisationId, role: claims.role }, this.key, {
      algorithm: 'HS256',
      expiresIn: this.accessTtlSeconds,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: claims.userId,
    });
  }

  verifyAccess(token: string): AccessClaims {
    try {
      const payload = claimsSchema.parse(jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }));
      return { userId: payload.sub, organisationId: payload.org, role: payload.role };
    } catch {
      throw errors.unauthenticated('CONSOLE_TOKEN_INVALID', 'The session token is missing, invalid or expired. Log in again.');
    }
  }
}

/** Refresh tokens are random (not JWTs) and stored only as a hash. */
export function newRefreshToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: refreshTokenId(token) };
}

export function refreshTokenId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
