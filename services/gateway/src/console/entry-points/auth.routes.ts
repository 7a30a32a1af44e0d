import { errors, sendData, validate } from '@pitlane/core';
import type { Request, Response, Router } from 'express';

import { changePassword, login, logout, refresh, type SignedIn } from '../application/sessions';
import type { ConsoleContext } from '../compose';
import { consoleUserOf, requireConsoleUser } from './console-auth';
import { loginBody, passwordBody } from './console.schemas';

export const REFRESH_COOKIE = 'pitlane_console_refresh';
const COOKIE_PATH = '/console/api/auth';

/** The refresh token lives only in an httpOnly, SameSite=Strict cookie scoped to the auth paths. */
function sendSession(req: Request, res: Response, session: SignedIn, ttlSeconds: number): void {
  res.cookie(REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: COOKIE_PATH,
    maxAge: ttlSeconds * 1000,
  });
  res.setHeader('Cache-Control', 'no-store');
  sendData(res, { accessToken: session.accessToken, expiresIn: session.expiresIn, user: session.user });
}

function cookieOf(req: Request): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' ? value : undefined;
}

export function authRoutes(router: Router, ctx: ConsoleContext): void {
  const ttl = ctx.tokens.refreshTtlSeconds;
  router.post('/api/auth/login', async (req, res) => {
    const body = validate(loginBody, req.body, 'request body');
    sendSession(req, res, await login(ctx, { ...body, ip: req.ip ?? 'unknown' }), ttl);
  });
  router.post('/api/auth/refresh', async (req, res) => {
    try {
      sendSession(req, res, await refresh(ctx, cookieOf(req)), ttl);
    } catch (error) {
      res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      throw error;
    }
  });
  router.post('/api/auth/logout', async (req, res) => {
    await logout(ctx, cookieOf(req));
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
    res.status(204).end();
  });
  router.post('/api/auth/password', requireConsoleUser(ctx.tokens), async (req, res) => {
    const body = validate(passwordBody, req.body, 'request body');
    sendSession(req, res, await changePassword(ctx, consoleUserOf(res).userId, body), ttl);
  });
  router.get('/api/auth/me', requireConsoleUser(ctx.tokens), async (_req, res) => {
    const user = await ctx.users.findById(consoleUserOf(res).userId);
    if (!user) throw errors.unauthenticated('CONSOLE_TOKEN_INVALID', 'The user no longer exists.');
    sendData(res, { id: user._id, email: user.email, role: user.role, organisationId: user.organisationId });
  });
}
