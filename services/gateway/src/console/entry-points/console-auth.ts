import { errors } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';

import type { AccessClaims, ConsoleTokens } from '../application/tokens';
import { canManageKeys, canManageUsers } from '../domain/roles';

/** `Authorization: Bearer <console access token>`: the user, their organisation and role. */
export function requireConsoleUser(tokens: ConsoleTokens) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i);
    res.locals.consoleUser = tokens.verifyAccess(match?.[1] ?? '');
    next();
  };
}

export function consoleUserOf(res: Response): AccessClaims {
  const user = res.locals.consoleUser as AccessClaims | undefined;
  if (!user) throw new Error('consoleUserOf() used on a route without requireConsoleUser()');
  return user;
}

export function requireKeyManager(_req: Request, res: Response, next: NextFunction): void {
  if (!canManageKeys(consoleUserOf(res).role)) throw errors.forbidden('Viewers can look but not change keys.');
  next();
}

export function requireOwner(_req: Request, res: Response, next: NextFunction): void {
  if (!canManageUsers(consoleUserOf(res).role)) throw errors.forbidden('Only organisation owners can invite users.');
  next();
}
