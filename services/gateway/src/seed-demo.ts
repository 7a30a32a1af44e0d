import { createLogger } from '@pitlane/core';
import { connectMongo, ensureIndexes } from '@pitlane/mongo';

import { readConfig } from './config';
import { registerModels } from './data-access/models';
import { Provisioning } from './data-access/provisioning';

/** Seeds a demo organisation, garage and read_write key into the gateway's database, idempotently
 * (the previous demo key is revoked: a raw key cannot be shown twice), and prints how to call it. */
async function seed(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('seed-demo', 'warn');
  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
  const models = registerModels(connection);
  await ensureIndexes(connection);
  const provisioning = new Provisioning(models);
  await provisioning.upsertOrganisation({
    _id: 'org_demo',
    name: 'Demo Motors Ltd',
    tier: 'standard',
    apiAccessEnabled: true,
    maxActiveKeys: 5,
  });
  await provisioning.upsertGarage({
    _id: 'gar_demo_london',
    organisationId: 'org_demo',
    name: 'Demo Motors London',
    phone: '+44 20 7946 0000',
    email: 'london@demo-motors.example',
    address: { line1: '1 Pit Lane', city: 'London', postcode: 'E1 6AN', country: 'GB' },
    timezone: 'Europe/London',
    currency: 'GBP',
  });
  await provisioning.revokeKeysNamed('org_demo', 'Demo key');
  const { rawKey } = await provisioning.createKey({ organisationId: 'org_demo', name: 'Demo key', permission: 'read_write' });
  await connection.close();

  const base = `http://127.0.0.1:${config.PORT}`;
  process.stdout.write(
    [
      '',
      `Pitlane gateway:  ${base}/api/v1`,
      `Demo API key:     ${rawKey}   (read_write, organisation org_demo; shown once)`,
      'Try:',
      `  curl -s -H 'X-API-Key: ${rawKey}' ${base}/api/v1/garages`,
      `  curl -s -H 'X-API-Key: ${rawKey}' ${base}/api/v1/garages/gar_demo_london`,
      '',
    ].join('\n'),
  );
}

seed().catch((error: unknown) => {
  process.stderr.write(`demo seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
