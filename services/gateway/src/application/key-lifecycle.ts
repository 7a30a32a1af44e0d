import type { ApiKeyRepository } from '../data-access/api-key.repository';
import type { TenancyRepository } from '../data-access/tenancy.repository';

/** What the key use-cases work with, built once by the composition root (src/service.ts).
 * `onKeyChanged` is told the hash of every revoked or replaced key ('*': every key, after an
 * organisation change) so that every gateway instance drops it from its cache. */
export interface KeyLifecycleDeps {
  apiKeys: ApiKeyRepository;
  tenancy: TenancyRepository;
  onKeyChanged: (keyHash: string) => Promise<void>;
  now?: () => Date;
}

export const nowOf = (deps: Pick<KeyLifecycleDeps, 'now'>): Date => deps.now?.() ?? new Date();
