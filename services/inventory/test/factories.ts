import { randomUUID } from 'node:crypto';

import { randomId } from '@pitlane/testing';

export interface TestGarage {
  id: string;
  organisationId: string;
  keyId: string;
  currency: string;
  timezone: string;
}

export function newGarage(overrides: Partial<TestGarage> = {}): TestGarage {
  return {
    id: `g_${randomId()}`,
    organisationId: `org_${randomId()}`,
    keyId: `key_${randomId()}`,
    currency: 'EUR',
    timezone: 'Europe/Amsterdam',
    ...overrides,
  };
}

export function itemInput(overrides: Record<string, unknown> = {}) {
  const suffix = randomId(6).toUpperCase();
  return {
    sku: `SKU-${suffix}`,
    name: `Oil filter ${suffix}`,
    unitPrice: 1250,
    category: 'Filters',
    unit: 'each',
    quantityOnHand: 10,
    reorderLevel: 2,
    unitCost: 700,
    ...overrides,
  };
}

export const newId = () => randomUUID();
