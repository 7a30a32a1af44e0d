import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';
import { isDuplicateKeyError } from '@pitlane/mongo';

import type { TenancyRepository } from '../../data-access/tenancy.repository';
import type { ConsoleUser } from '../data-access/console-user.model';
import type { ConsoleUserRepository } from '../data-access/console-user.repository';
import type { Role } from '../domain/roles';
import { hashPassword, oneTimePassword } from './passwords';

export function consoleUserView(user: ConsoleUser) {
  return { id: user._id, email: user.email, role: user.role, mustChangePassword: user.mustChangePassword, createdAt: user.createdAt };
}

/** A new console user with a one-time password, returned once (the admin CLI and an owner's invitation). */
export async function createConsoleUser(
  deps: { users: ConsoleUserRepository; tenancy: TenancyRepository },
  input: { organisationId: string; email: string; role: Role },
): Promise<{ user: ReturnType<typeof consoleUserView>; oneTimePassword: string }> {
  if (!(await deps.tenancy.findOrganisation(input.organisationId))) throw errors.notFound('Organisation');
  const password = oneTimePassword();
  try {
    const user = await deps.users.insert({
      _id: `usr_${randomUUID().replaceAll('-', '')}`,
      organisationId: input.organisationId,
      email: input.email.trim().toLowerCase(),
      role: input.role,
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
    });
    return { user: consoleUserView(user), oneTimePassword: password };
  } catch (error) {
    if (isDuplicateKeyError(error)) throw errors.conflict('EMAIL_TAKEN', 'A console user with this email already exists.');
    throw error;
  }
}

export async function listConsoleUsers(users: ConsoleUserRepository, organisationId: string) {
  return (await users.listByOrganisation(organisationId)).map(consoleUserView);
}
