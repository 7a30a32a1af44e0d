import { parseArgs } from 'node:util';

import { createConsoleUser } from '../console/application/manage-users';
import { ROLES, type Role } from '../console/domain/roles';
import type { ApiKey, Permission, Tier } from '../data-access/tenancy.model';
import { openAdminContext, runCli } from './context';

const USAGE = `usage: npm run admin -- <command> [options]   (prints JSON)
  org:create    --id ID --name NAME [--tier standard|premium|enterprise] [--api-access true|false] [--max-keys N]
  garage:create --id ID --org ORG --name NAME --timezone TZ --currency CUR [--phone P] [--email E]
  org:cors      --org ORG --origins https://app.example.com,https://… ('' turns CORS off)
  key:create    --org ORG --name NAME --permission read|read_write [--garages G1,G2] [--expires ISO-DATE]
  key:list      --org ORG
  key:rotate    --key KEY_ID [--grace SECONDS]
  key:revoke    --key KEY_ID
  user:create   --org ORG --email EMAIL --role owner|admin|viewer   (prints a one-time password)`;

const options = {
  id: { type: 'string' }, name: { type: 'string' }, tier: { type: 'string' }, 'api-access': { type: 'string' },
  'max-keys': { type: 'string' }, org: { type: 'string' }, timezone: { type: 'string' }, currency: { type: 'string' },
  phone: { type: 'string' }, email: { type: 'string' }, permission: { type: 'string' }, garages: { type: 'string' },
  expires: { type: 'string' }, origins: { type: 'string' }, key: { type: 'string' }, grace: { type: 'string' }, role: { type: 'string' },
} as const;

/** A key as lists show it: never the hash, only the display prefix. */
function keyView(key: ApiKey) {
  const { keyHash: _hash, ...rest } = key;
  return rest;
}

async function admin(): Promise<void> {
  const { positionals, values } = parseArgs({ options, allowPositionals: true });
  const command = positionals[0];
  const need = (name: keyof typeof values): string => {
    const value = values[name];
    if (!value) throw new Error(`--${name} is required\n${USAGE}`);
    return value;
  };
  if (!command) throw new Error(USAGE);
  const context = await openAdminContext();
  const { provisioning } = context;
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  try {
    switch (command) {
      case 'org:create':
        await provisioning.upsertOrganisation({
          _id: need('id'),
          name: need('name'),
          tier: (values.tier ?? 'standard') as Tier,
          apiAccessEnabled: values['api-access'] !== 'false',
          maxActiveKeys: Number(values['max-keys'] ?? 5),
        });
        print(await context.models.Organisation.findById(values.id).lean());
        break;
      case 'garage:create':
        await provisioning.upsertGarage({
          _id: need('id'),
          organisationId: need('org'),
          name: need('name'),
          timezone: need('timezone'),
          currency: need('currency'),
          ...(values.phone ? { phone: values.phone } : {}),
          ...(values.email ? { email: values.email } : {}),
        });
        print(await context.models.Garage.findById(values.id).lean());
        break;
      case 'org:cors': {
        if (values.origins === undefined) throw new Error(`--origins is required\n${USAGE}`);
        const origins = values.origins.split(',').map((origin) => origin.trim()).filter(Boolean);
        print({ organisationId: need('org'), allowedOrigins: await provisioning.setAllowedOrigins(need('org'), origins) });
        break;
      }
      case 'key:create': {
        const { key, rawKey } = await provisioning.createKey({
          organisationId: need('org'),
          name: need('name'),
          permission: need('permission') as Permission,
          garageIds: values.garages ? values.garages.split(',') : [],
          expiresAt: values.expires ? new Date(values.expires) : null,
        });
        print({ key: keyView(key), rawKey, note: 'the raw key is shown once; store it now' });
        break;
      }
      case 'key:list':
        print((await provisioning.listKeys(need('org'))).map(keyView));
        break;
      case 'key:rotate': {
        const rotated = await provisioning.rotateKey(need('key'), Number(values.grace ?? 0));
        print({ key: keyView(rotated.key), rawKey: rotated.rawKey, oldKeyExpiresAt: rotated.oldKeyExpiresAt });
        break;
      }
      case 'key:revoke':
        print(keyView(await provisioning.revokeKey(need('key'))));
        break;
      case 'user:create': {
        const role = need('role');
        if (!ROLES.includes(role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
        const created = await createConsoleUser(context.consoleUsers, { organisationId: need('org'), email: need('email'), role: role as Role });
        print({ ...created, note: 'the one-time password is shown once; the user should change it after logging in' });
        break;
      }
      default:
        throw new Error(`unknown command ${command}\n${USAGE}`);
    }
  } finally {
    await context.close();
  }
}

void runCli(admin);
