import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';

import type { TenancyRepository } from '../../data-access/tenancy.repository';
import type { ConsoleUser } from '../data-access/console-user.model';
import type { ConsoleUserRepository } from '../data-access/console-user.repository';
import type { LoginThrottle } from '../data-access/login-throttle';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import { newRefreshToken, refreshTokenId, type ConsoleTokens } from './tokens';

export interface SessionDeps {
  users: ConsoleUserRepository;
  tenancy: TenancyRepository;
  throttle: LoginThrottle;
  tokens: ConsoleTokens;
}

export interface SignedIn {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  user: Awaited<ReturnType<typeof userView>>;
}

/** Wrong email, wrong password and a locked account all read the same: nothing to enumerate. */
const invalidCredentials = () => errors.unauthenticated('INVALID_CREDENTIALS', 'The email or password is incorrect.');
const invalidRefresh = () => errors.unauthenticated('REFRESH_TOKEN_INVALID', 'The session has ended. Log in again.');

export async function userView(user: ConsoleUser, tenancy: TenancyRepository) {
  const organisation = await tenancy.findOrganisation(user.organisationId);
  return {
    id: user._id,
    email: user.email,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    organisation: {
      id: user.organisationId,
      name: organisation?.name ?? user.organisationId,
      apiAccessEnabled: organisation?.apiAccessEnabled ?? false,
    },
  };
}

export async function login(deps: SessionDeps, input: { email: string; password: string; ip: string }): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const locked = await deps.throttle.isLocked(email, input.ip);
  const user = await deps.users.findByEmail(email);
  // the hash is always computed, also when locked or unknown, so timing tells nothing either
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
  if (locked || !user || !valid) {
    if (!locked) await deps.throttle.recordFailure(email, input.ip);
    throw invalidCredentials();
  }
  await deps.throttle.recordSuccess(email);
  return startSession(deps, user, randomUUID());
}

/** A refresh token works once. Presenting one that was already used (or revoked) means it leaked:
 * the whole family from that login is revoked, so the thief's copy dies with the user's. */
export async function refresh(deps: SessionDeps, token: string | undefined): Promise<SignedIn> {
  if (!token) throw invalidRefresh();
  const now = new Date();
  const session = await deps.users.findSession(refreshTokenId(token));
  if (!session) throw invalidRefresh();
  if (session.usedAt || session.revokedAt || !(await deps.users.useSession(session._id, now))) {
    await deps.users.revokeFamily(session.familyId, now);
    throw invalidRefresh();
  }
  if (session.expiresAt <= now) throw invalidRefresh();
  const user = await deps.users.findById(session.userId);
  if (!user) throw invalidRefresh();
  return startSession(deps, user, session.familyId);
}

export async function logout(deps: SessionDeps, token: string | undefined): Promise<void> {
  if (!token) return;
  const session = await deps.users.findSession(refreshTokenId(token));
  if (session) await deps.users.revokeFamily(session.familyId, new Date());
}

/** Every other session of the user ends; the caller gets a fresh one. */
export async function changePassword(
  deps: SessionDeps,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<SignedIn> {
  const user = await deps.users.findById(userId);
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw errors.validation('The request is invalid.', [{ field: 'currentPassword', message: 'is not your current password' }]);
  }
  await deps.users.setPassword(user._id, await hashPassword(input.newPassword), false);
  await deps.users.revokeAllOf(user._id, new Date());
  return startSession(deps, { ...user, mustChangePassword: false }, randomUUID());
}

async function startSession(deps: SessionDeps, user: ConsoleUser, familyId: string): Promise<SignedIn> {
  const { token, id } = newRefreshToken();
  await deps.users.insertSession({
    _id: id,
    familyId,
    userId: user._id,
    organisationId: user.organisationId,
    expiresAt: new Date(Date.now() + deps.tokens.refreshTtlSeconds * 1000),
  });
  return {
    accessToken: deps.tokens.signAccess({ userId: user._id, organisationId: user.organisationId, role: user.role }),
    expiresIn: deps.tokens.accessTtlSeconds,
    refreshToken: token,
    user: await userView(user, deps.tenancy),
  };
}
