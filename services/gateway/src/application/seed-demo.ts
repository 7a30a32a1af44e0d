import type { Permission } from '../data-access/tenancy.model';
import type { Provisioning } from './provisioning';

export interface DemoSeed {
  organisationId: string;
  garages: { id: string; name: string }[];
  keys: { readWrite: string; readOnly: string };
  otherOrganisation: { garageId: string; key: string };
  disabledOrganisation: { key: string };
}

const garages = [
  {
    _id: 'gar_demo_london',
    organisationId: 'org_demo_a',
    name: 'Demo Motors London',
    timezone: 'Europe/London',
    currency: 'GBP',
    phone: '+44 20 7946 0000',
    email: 'london@demo-motors.example',
    address: { line1: '1 Pit Lane', city: 'London', postcode: 'E1 6AN', country: 'GB' },
  },
  {
    _id: 'gar_demo_dubai',
    organisationId: 'org_demo_a',
    name: 'Demo Motors Dubai',
    timezone: 'Asia/Dubai',
    currency: 'AED',
    phone: '+971 4 000 0000',
    email: 'dubai@demo-motors.example',
    address: { line1: 'Sheikh Zayed Rd', city: 'Dubai', country: 'AE' },
  },
  { _id: 'gar_demo_other', organisationId: 'org_demo_b', name: 'Other Garage Leeds', timezone: 'Europe/London', currency: 'GBP' },
  { _id: 'gar_demo_disabled', organisationId: 'org_demo_c', name: 'No Add-on Autos', timezone: 'Europe/Paris', currency: 'EUR' },
];

/**
 * Demo tenants, idempotently: organisation A (enterprise, API on, two garages, a read_write and a
 * read-only key), B (standard, one garage and key) and C (API access off, a key). A raw key cannot be
 * shown twice, so a re-run revokes the previous demo keys and returns new working ones.
 */
export async function seedDemo(provisioning: Provisioning): Promise<DemoSeed> {
  await provisioning.upsertOrganisation({ _id: 'org_demo_a', name: 'Demo Motors Ltd', tier: 'enterprise', apiAccessEnabled: true, maxActiveKeys: 10 });
  await provisioning.upsertOrganisation({ _id: 'org_demo_b', name: 'Other Garage Co', tier: 'standard', apiAccessEnabled: true, maxActiveKeys: 5 });
  await provisioning.upsertOrganisation({ _id: 'org_demo_c', name: 'No Add-on Autos', tier: 'standard', apiAccessEnabled: false, maxActiveKeys: 5 });
  for (const garage of garages) await provisioning.upsertGarage(garage);

  const fresh = async (organisationId: string, name: string, permission: Permission) => {
    for (const key of await provisioning.listKeys(organisationId)) {
      if (key.name === name && key.status === 'active') await provisioning.revokeKey(key._id);
    }
    return (await provisioning.createKey({ organisationId, name, permission })).rawKey;
  };
  return {
    organisationId: 'org_demo_a',
    garages: garages.filter((g) => g.organisationId === 'org_demo_a').map((g) => ({ id: g._id, name: g.name })),
    keys: {
      readWrite: await fresh('org_demo_a', 'Demo read_write key', 'read_write'),
      readOnly: await fresh('org_demo_a', 'Demo read-only key', 'read'),
    },
    otherOrganisation: { garageId: 'gar_demo_other', key: await fresh('org_demo_b', 'Demo key', 'read_write') },
    disabledOrganisation: { key: await fresh('org_demo_c', 'Demo key', 'read_write') },
  };
}
