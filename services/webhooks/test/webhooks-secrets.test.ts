import { createCipheriv, randomBytes } from 'node:crypto';

import { testNames, waitFor } from '@pitlane/testing';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, type Receiver } from './factories';

const names = testNames(__filename);
const garage = { garageId: 'gar_sec1', organisationId: 'org_sec' };
const K1 = Buffer.alloc(32, 11).toString('base64');
const K2 = Buffer.alloc(32, 12).toString('base64');
/** the single unnamed key of the release before key ids */
const LEGACY = Buffer.alloc(32, 13);

/** What that release stored: `enc:v1:` + base64(iv | tag | ciphertext). */
function sealedV1(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return 'enc:v1:' + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

describe('webhooks: signing secrets at rest (always encrypted, rotated keys, earlier formats re-sealed)', () => {
  let receiver: Receiver;
  /** every instance started here, the newest first (cleanUp drops the database through it; close is idempotent) */
  const instances: WebhooksService[] = [];
  const start = async (...args: Parameters<typeof startTestService>) => {
    const service = await startTestService(...args);
    instances.unshift(service);
    return service;
  };
  /** every log line of every instance in this file, at debug level */
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await receiver.close();
    await cleanUp(names, instances);
  });

  it('when plain-text, old-format and old-key secrets are stored, then a start with a new key re-seals all of them and deliveries still verify after the old keys are removed', async () => {
    // the state earlier releases and an earlier key leave behind
    const before = await start(names, { WEBHOOK_SECRETS_KEYS: `k1:${K1}` }, { logger });
    const api = apiFor(before, garage);
    const withK1 = await createWebhook(api, { url: `${receiver.url}/k1` });
    const plain = await createWebhook(api, { url: `${receiver.url}/plain` });
    const v1 = await createWebhook(api, { url: `${receiver.url}/v1` });
    const rotated = await createWebhook(api, { url: `${receiver.url}/rotated` });
    const rotation = await api('POST', `/webhooks/${rotated.id}/rotate-secret`);
    const newSecret = rotation.body.data.secret as string;
    const collection = before.connection.collection<{ _id: string; secret: string; previousSecret: string | null }>('webhooks');
    await collection.updateOne({ _id: plain.id }, { $set: { secret: plain.secret } });
    await collection.updateOne({ _id: v1.id }, { $set: { secret: sealedV1(LEGACY, v1.secret) } });
    await collection.updateOne({ _id: rotated.id }, { $set: { previousSecret: rotated.secret } });
    await before.close();

    // key rotation: k2 seals from now on, k1 and the unnamed key still open
    const rotating = await start(names, { WEBHOOK_SECRETS_KEYS: `k2:${K2},k1:${K1}`, WEBHOOK_SECRETS_KEY: LEGACY.toString('base64') }, { logger });
    const stored = await rotating.connection.collection<{ secret: string; previousSecret: string | null }>('webhooks').find({}).toArray();
    expect(stored).toHaveLength(4);
    for (const doc of stored) {
      expect(doc.secret).toMatch(/^enc:v2:k2:/);
      if (doc.previousSecret !== null) expect(doc.previousSecret).toMatch(/^enc:v2:k2:/);
    }
    await rotating.close();

    // k1 and the unnamed key removed: every endpoint is still signed with the secret its partner holds
    const publisher = await startPublisher(names);
    try {
      await start(names, { WEBHOOK_SECRETS_KEYS: `k2:${K2}` }, { logger });
      const event = customerCreated(garage);
      await publisher.publish(event);
      const byPath = await waitFor(() => {
        const paths = new Map(receiver.requests.map((request) => [request.path, request]));
        return paths.size === 4 && paths;
      });
      const verify = (path: string, secret: string) =>
        new Webhook(secret).verify(byPath.get(path)?.body ?? '', byPath.get(path)?.headers as Record<string, string>);
      expect(verify('/k1', withK1.secret)).toMatchObject({ id: event.id });
      expect(verify('/plain', plain.secret)).toMatchObject({ id: event.id });
      expect(verify('/v1', v1.secret)).toMatchObject({ id: event.id });
      expect(verify('/rotated', newSecret)).toMatchObject({ id: event.id });
      expect(verify('/rotated', rotated.secret)).toMatchObject({ id: event.id }); // the overlap's old secret, re-sealed too
    } finally {
      await publisher.stop();
    }

    // the pass said what it did, and no secret value reached any log line (debug included)
    const log = lines.join('');
    expect(lines.some((line) => line.includes('"resealed":4') && line.includes('"keyId":"k2"'))).toBe(true);
    for (const secret of [withK1.secret, plain.secret, v1.secret, rotated.secret, newSecret]) {
      expect(log).not.toContain(secret.slice('whsec_'.length));
    }
  });
});
