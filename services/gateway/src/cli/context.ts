import { connectMongo, ensureIndexes } from '@pitlane/mongo';
import { Redis } from 'ioredis';

import { readConfig } from '../config';
import { registerConsoleModels } from '../console/data-access/console-user.model';
import { ConsoleUserRepository } from '../console/data-access/console-user.repository';
import { broadcastKeyChange } from '../data-access/key-cache';
import { registerModels } from '../data-access/tenancy.model';
import { TenancyRepository } from '../data-access/tenancy.repository';
import { provisioningFor } from '../service';

/** What the admin commands work with: the gateway's database, and Redis to tell running gateways
 * about revoked keys (best effort: their cache TTL bounds staleness if Redis is away). */
export async function openAdminContext() {
  // the admin commands sign nothing: do not make operators set the internal secret for them
  const config = readConfig({ INTERNAL_JWT_SECRET: 'not-used-by-the-admin-commands-0000000000', ...process.env });
  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB });
  const models = registerModels(connection);
  await ensureIndexes(connection);
  const redis = new Redis(config.REDIS_URL, { keyPrefix: config.REDIS_PREFIX, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => undefined);
  const provisioning = provisioningFor(models, async (keyHash) => {
    await broadcastKeyChange(redis, keyHash).catch((error: unknown) => {
      process.stderr.write(`warning: could not broadcast the key change: ${String(error)}\n`);
    });
  });
  return {
    config,
    models,
    provisioning,
    consoleUsers: { users: new ConsoleUserRepository(registerConsoleModels(connection)), tenancy: new TenancyRepository(models) },
    close: async () => {
      redis.disconnect();
      await connection.close();
    },
  };
}

export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const details = (error as { details?: unknown }).details; // an AppError's field list says what to fix
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}${details ? ` ${JSON.stringify(details)}` : ''}\n`);
    process.exitCode = 1;
  }
}
