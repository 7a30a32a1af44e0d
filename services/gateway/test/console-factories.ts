import { checkResponse } from '@pitlane/testing';

import { createConsoleUser } from '../src/console/application/manage-users';
import { registerConsoleModels } from '../src/console/data-access/console-user.model';
import { ConsoleUserRepository } from '../src/console/data-access/console-user.repository';
import type { Role } from '../src/console/domain/roles';
import { TenancyRepository } from '../src/data-access/tenancy.repository';
import type { GatewayService } from '../src/service';
// the console's paths in the document (the running gateway does not load it: the generator does)
import '../src/openapi/console.openapi';

/** A console user made the way the admin CLI makes one; returns the email and one-time password. */
export async function consoleUser(gateway: GatewayService, organisationId: string, role: Role, email = `${role}.${Math.random().toString(36).slice(2, 8)}@${organisationId}.example`) {
  const users = new ConsoleUserRepository(registerConsoleModels(gateway.connection));
  const created = await createConsoleUser({ users, tenancy: new TenancyRepository(gateway.models) }, { organisationId, email, role });
  return { email, password: created.oneTimePassword, id: created.user.id };
}

/** Logs in over HTTP; returns the access token, the refresh cookie and a fetch helper for the console API. */
export async function consoleLogin(gateway: GatewayService, email: string, password: string, ip = '10.0.0.1') {
  const response = await fetch(`${gateway.url}/console/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
  });
  await checkResponse('POST', response.url, response);
  const body = (await response.json()) as { data?: { accessToken: string } };
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pitlane_console_refresh='))?.split(';')[0];
  const token = body.data?.accessToken ?? '';
  const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const method = init.method ?? 'GET';
    const answer = await fetch(`${gateway.url}/console/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    await checkResponse(method, answer.url, answer);
    return answer;
  };
  return { response, body, token, cookie, call };
}
