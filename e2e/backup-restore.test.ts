import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { deleteAmqpNames, infraUrls, randomId, serviceEnv, testNames } from '@pitlane/testing';
import { MongoClient } from 'mongodb';

import { freePort, startLauncher, tempDir, type LauncherProcess } from '../libs/mongo/test/launcher-process';
import { readConfig as bookingsConfig } from '../services/bookings/src/config';
import { startBookings, type BookingsService } from '../services/bookings/src/service';
import { readConfig as gatewayConfig } from '../services/gateway/src/config';
import { startGateway, type GatewayService } from '../services/gateway/src/service';

/**
 * npm run backup / npm run restore: a backup taken while the gateway, a service and a busy writer use
 * the store, restored into a fresh launcher with a fresh gateway and bookings service on it, serves the
 * same data to a partner through the gateway, with the API key the backup holds (the gateway's own
 * database is in the backup; a key created after the backup is not), and each database is one
 * consistent moment (a counter written after its documents is never ahead of them).
 */

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const names = testNames(__filename);
const dir = tempDir('pitlane-backup-');
const garageId = `gar_${randomId()}`;
const organisationId = `org_backup_${randomId(4)}`;

const customers = (gateway: GatewayService) => `${gateway.url}/api/v1/garages/${garageId}/customers`;
const withKey = (key: string) => ({ 'x-api-key': key, 'content-type': 'application/json' });

describe('npm run backup / npm run restore', () => {
  jest.setTimeout(90_000);
  const launchers: LauncherProcess[] = [];
  const services: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const service of services.reverse()) await service.close();
    for (const launcher of launchers) await launcher.kill('SIGTERM');
    await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, [`${names.queuePrefix}bookings`, `${names.queuePrefix}bookings2`]);
    dir.remove();
  });

  /** bookings and the gateway in front of it, both on the store at `url` */
  async function stackOn(url: string, queue: string): Promise<GatewayService> {
    const bookings: BookingsService = await startBookings(bookingsConfig(serviceEnv(names, 'bookings', { MONGO_URL: url })), { queue: `${names.queuePrefix}${queue}`, relayPollIntervalMs: 50 });
    services.push(bookings);
    const gateway = await startGateway(gatewayConfig(serviceEnv(names, 'gateway', { MONGO_URL: url, BOOKINGS_URL: bookings.url })));
    services.push(gateway);
    return gateway;
  }

  it('when a backup is taken during writes and restored into a fresh stack, then the gateway serves the data back with the backed-up key', async () => {
    const live = await startLauncher({ file: join(dir.path, 'live.mv.db'), port: await freePort() });
    launchers.push(live);
    const gateway = await stackOn(live.url, 'bookings');
    const provisioning = gateway.context.provisioning;
    await provisioning.upsertOrganisation({ _id: organisationId, name: 'Backup Motors', tier: 'enterprise', apiAccessEnabled: true });
    await provisioning.upsertGarage({ _id: garageId, organisationId, name: 'Backup Motors Leeds', timezone: 'Europe/London', currency: 'GBP' });
    const key = (await provisioning.createKey({ organisationId, name: 'backed up', permission: 'read_write' })).rawKey;

    const created: Array<{ id: string; lastName: string }> = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(customers(gateway), { method: 'POST', headers: withKey(key), body: JSON.stringify({ firstName: 'Backed', lastName: `Up ${i}` }) });
      expect(response.status).toBe(201);
      created.push({ id: ((await response.json()) as { data: { id: string } }).data.id, lastName: `Up ${i}` });
    }

    // a busy writer in a second database: document i, then the counter set to i
    const client = await new MongoClient(live.url).connect();
    const ledger = client.db(names.database('ledger'));
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await ledger.collection('entries').insertOne({ _id: written as never, at: new Date() });
        await ledger.collection('counter').updateOne({ _id: 'n' as never }, { $set: { n: written } }, { upsert: true });
        written++;
      }
    })();
    while (written < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const writtenBeforeBackup = written;

    const backup = join(dir.path, 'backups', 'stack.zip');
    const { stdout } = await run('bash', [join(ROOT, 'scripts', 'backup.sh'), '--to', backup], { cwd: ROOT, env: { ...process.env, MONGO_URL: live.url } });
    expect(stdout.trim()).toBe(backup);
    writing = false;
    await writer;
    await client.close();
    // written after the backup: must not be in the restored stack
    const lateKey = (await provisioning.createKey({ organisationId, name: 'after the backup', permission: 'read_write' })).rawKey;
    expect((await fetch(customers(gateway), { headers: withKey(lateKey) })).status).toBe(200);

    const manifest = JSON.parse(readFileSync(join(dir.path, 'backups', 'stack.json'), 'utf8')) as { databases: Record<string, Record<string, number>> };
    expect(Object.keys(manifest.databases)).toEqual(expect.arrayContaining([names.database('bookings'), names.database('gateway'), names.database('ledger')]));

    const restoredFile = join(dir.path, 'restored.mv.db');
    await run('bash', [join(ROOT, 'scripts', 'restore.sh'), backup, '--file', restoredFile], { cwd: ROOT });
    const restored = await startLauncher({ file: restoredFile, port: await freePort() });
    launchers.push(restored);

    const second = await stackOn(restored.url, 'bookings2');
    for (const { id, lastName } of created) {
      const response = await fetch(`${customers(second)}/${id}`, { headers: withKey(key) });
      const body = (await response.json()) as { data?: { id: string; lastName: string } };
      expect({ status: response.status, id: body.data?.id, lastName: body.data?.lastName }).toEqual({ status: 200, id, lastName });
    }
    const listed = (await (await fetch(`${customers(second)}?limit=100`, { headers: withKey(key) })).json()) as { data: Array<{ id: string }> };
    expect(listed.data.map((c) => c.id).sort()).toEqual(created.map((c) => c.id).sort());
    expect((await fetch(customers(second), { headers: withKey(lateKey) })).status).toBe(401);

    const reader = await new MongoClient(restored.url).connect();
    try {
      const db = reader.db(names.database('ledger'));
      const entries = await db.collection('entries').countDocuments();
      const counter = (await db.collection<{ _id: string; n: number }>('counter').findOne({ _id: 'n' }))?.n ?? -1;
      expect(entries).toBeGreaterThanOrEqual(writtenBeforeBackup);
      expect(counter).toBeLessThan(entries); // never ahead of the entries it counts
      expect(counter).toBeGreaterThanOrEqual(entries - 2); // one moment: at most the entry written after the last counter
    } finally {
      await reader.close();
    }
  });
});
