import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { signInternalToken } from '@pitlane/core';
import { deleteAmqpNames, infraUrls, randomId, serviceEnv, testNames, TEST_INTERNAL_SECRET } from '@pitlane/testing';
import { MongoClient } from 'mongodb';

import { freePort, startLauncher, tempDir, type LauncherProcess } from '../libs/mongo/test/launcher-process';
import { readConfig as bookingsConfig } from '../services/bookings/src/config';
import { startBookings, type BookingsService } from '../services/bookings/src/service';

/**
 * npm run backup / npm run restore: a backup taken while a service and a busy writer use the store,
 * restored into a fresh launcher, serves the same data to the service (HTTP) and the driver, and each
 * database is one consistent moment (a counter written after its documents is never ahead of them).
 */

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const names = testNames(__filename);
const dir = tempDir('pitlane-backup-');
const garage = { garageId: `gar_${randomId()}`, organisationId: 'org_backup' };

function headers(): Record<string, string> {
  const token = signInternalToken(
    { organisationId: garage.organisationId, keyId: 'key_test', permission: 'read_write', garageId: garage.garageId, garage: { name: 'Backup', timezone: 'Europe/London', currency: 'GBP' }, requestId: `req_${randomId()}` },
    TEST_INTERNAL_SECRET,
  );
  return { 'x-pitlane-internal-token': token, 'content-type': 'application/json' };
}
const customers = (base: string) => `${base}/api/v1/garages/${garage.garageId}/customers`;

describe('npm run backup / npm run restore', () => {
  jest.setTimeout(90_000);
  const launchers: LauncherProcess[] = [];
  const services: BookingsService[] = [];
  afterAll(async () => {
    for (const service of services) await service.close();
    for (const launcher of launchers) await launcher.kill('SIGTERM');
    await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, [`${names.queuePrefix}bookings`, `${names.queuePrefix}bookings2`]);
    dir.remove();
  });

  async function bookingsOn(url: string, queue: string): Promise<BookingsService> {
    const service = await startBookings(bookingsConfig(serviceEnv(names, 'bookings', { MONGO_URL: url })), { queue: `${names.queuePrefix}${queue}`, relayPollIntervalMs: 50 });
    services.push(service);
    return service;
  }

  it('when a backup is taken during writes and restored into a fresh database server, then the service and the driver read the data back', async () => {
    const live = await startLauncher({ file: join(dir.path, 'live.mv.db'), port: await freePort() });
    launchers.push(live);
    const bookings = await bookingsOn(live.url, 'bookings');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(customers(bookings.url), { method: 'POST', headers: headers(), body: JSON.stringify({ firstName: 'Backed', lastName: `Up ${i}` }) });
      expect(response.status).toBe(201);
      created.push(((await response.json()) as { data: { id: string } }).data.id);
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
    const manifest = JSON.parse(readFileSync(join(dir.path, 'backups', 'stack.json'), 'utf8')) as { databases: Record<string, Record<string, number>> };
    expect(Object.keys(manifest.databases)).toEqual(expect.arrayContaining([names.database('bookings'), names.database('ledger')]));

    const restoredFile = join(dir.path, 'restored.mv.db');
    await run('bash', [join(ROOT, 'scripts', 'restore.sh'), backup, '--file', restoredFile], { cwd: ROOT });
    const restored = await startLauncher({ file: restoredFile, port: await freePort() });
    launchers.push(restored);

    const second = await bookingsOn(restored.url, 'bookings2');
    for (const id of created) {
      const response = await fetch(`${customers(second.url)}/${id}`, { headers: headers() });
      expect({ id, status: response.status }).toEqual({ id, status: 200 });
    }
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
