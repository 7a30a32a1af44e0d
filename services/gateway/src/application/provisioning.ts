import type { GarageInput, OrganisationInput } from '../data-access/tenancy.repository';
import type { ApiKey } from '../data-access/tenancy.model';
import { createApiKey, type CreatedKey, type NewKey } from './create-api-key';
import type { KeyLifecycleDeps } from './key-lifecycle';
import { revokeApiKey } from './revoke-api-key';
import { rotateApiKey } from './rotate-api-key';
import { setAllowedOrigins } from './set-allowed-origins';

/** Organisations, garages and the key lifecycle, as the admin CLI, the demo seed and the tests use them. */
export interface Provisioning {
  upsertOrganisation(org: OrganisationInput): Promise<void>;
  upsertGarage(garage: GarageInput): Promise<void>;
  createKey(input: NewKey): Promise<CreatedKey>;
  listKeys(organisationId: string): Promise<ApiKey[]>;
  revokeKey(keyId: string): Promise<ApiKey>;
  rotateKey(keyId: string, graceSeconds?: number): Promise<CreatedKey & { oldKeyExpiresAt: Date }>;
  /** CORS: the browser origins allowed to use the organisation's keys (empty: none) */
  setAllowedOrigins(organisationId: string, origins: string[]): Promise<string[]>;
}

export function provisioning(deps: KeyLifecycleDeps): Provisioning {
  return {
    upsertOrganisation: async (org) => {
      await deps.tenancy.upsertOrganisation(org);
      await deps.onKeyChanged('*'); // tier or add-on may have changed: every cached caller is stale
    },
    upsertGarage: (garage) => deps.tenancy.upsertGarage(garage),
    createKey: (input) => createApiKey(deps, input),
    listKeys: (organisationId) => deps.apiKeys.list(organisationId),
    revokeKey: (keyId) => revokeApiKey(deps, keyId),
    rotateKey: (keyId, graceSeconds) => rotateApiKey(deps, keyId, graceSeconds),
    setAllowedOrigins: (organisationId, origins) => setAllowedOrigins(deps, organisationId, origins),
  };
}
