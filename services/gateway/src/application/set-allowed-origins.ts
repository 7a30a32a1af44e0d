import { errors } from '@pitlane/core';

import { MAX_ALLOWED_ORIGINS, originProblem } from '../domain/cors-origin';
import type { KeyLifecycleDeps } from './key-lifecycle';

/** Replaces the browser origins allowed to call the API with the organisation's keys (CORS; empty:
 * off, the default), then tells every gateway to reload its cached callers so the change applies at once. */
export async function setAllowedOrigins(deps: Pick<KeyLifecycleDeps, 'tenancy' | 'onKeyChanged'>, organisationId: string, origins: string[]): Promise<string[]> {
  const unique = [...new Set(origins)];
  const problems = unique.flatMap((origin, index) => {
    const problem = originProblem(origin);
    return problem ? [{ field: `allowedOrigins[${index}]`, message: `${origin} ${problem}` }] : [];
  });
  if (unique.length > MAX_ALLOWED_ORIGINS) problems.push({ field: 'allowedOrigins', message: `at most ${MAX_ALLOWED_ORIGINS} origins` });
  if (problems.length > 0) throw errors.validation('The allowed origins are invalid.', problems);
  if (!(await deps.tenancy.setAllowedOrigins(organisationId, unique))) throw errors.notFound('Organisation');
  await deps.onKeyChanged('*');
  return unique;
}
