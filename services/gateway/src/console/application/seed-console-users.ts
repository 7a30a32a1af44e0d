import type { TenancyRepository } from '../../data-access/tenancy.repository';
import type { ConsoleUserRepository } from '../data-access/console-user.repository';
import type { Role } from '../domain/roles';
import { createConsoleUser } from './manage-users';
import { hashPassword, oneTimePassword } from './passwords';

/** Demo console logins, idempotently: a password cannot be shown twice, so a re-run sets a new one. */
export async function seedConsoleUser(
  deps: { users: ConsoleUserRepository; tenancy: TenancyRepository },
  input: { organisationId: string; email: string; role: Role },
): Promise<{ email: string; password: string }> {
  const existing = await deps.users.findByEmail(input.email);
  if (!existing) {
    const created = await createConsoleUser(deps, input);
    await deps.users.setPassword(created.user.id, await hashPassword(created.oneTimePassword), false);
    return { email: created.user.email, password: created.oneTimePassword };
  }
  const password = oneTimePassword();
  await deps.users.setPassword(existing._id, await hashPassword(password), false);
  return { email: existing.email, password };
}
