import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLogger, Metrics, signInternalToken, type Logger } from '@pitlane/core';
import { createEvent, EventBus, type EventEnvelope } from '@pitlane/events';
import { checkResponse, deleteAmqpNames, infraUrls, json, serviceEnv, TEST_INTERNAL_SECRET, type ApiBody, type TestNames } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startWebhooks, type WebhooksService } from '../src/service';

/** Short schedules (ms) so retries happen within a test; private targets allowed (receivers are on 127.0.0.1). */
export const FAST_ENV: Record<string, string> = {
  WEBHOOK_RETRY_SCHEDULE_MS: '100,200',
  WEBHOOK_RETRY_JITTER: '0',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_POLL_INTERVAL_MS: '50',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_SECRETS_KEYS: `test1:${Buffer.alloc(32, 7).toString('base64')}`,
};

export async function startTestService(
  names: TestNames,
  env: Record<string, string> = {},
  overrides: { logger?: Logger } = {},
): Promise<WebhooksService> {
  return startWebhooks(readConfig(serviceEnv(names, 'webhooks', { ...FAST_ENV, ...env })), {
    queue: `${names.queuePrefix}webhooks`,
    relayPollIntervalMs: 50,
    retryDelaysMs: [50, 100], // delays deleteAmqpNames knows, so no queue is left behind
    ...overrides,
  });
}

export async function cleanUp(names: TestNames, services: WebhooksService[], buses: EventBus[] = []): Promise<void> {
  await Promise.all(buses.map((bus) => bus.stop()));
  const [first] = services;
  if (first) await first.connection.dropDatabase();
  for (const service of services) await service.close();
  await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, [`${names.queuePrefix}webhooks`]);
}

export interface Garage {
  garageId: string;
  organisationId: string;
}

/** Calls the service as the gateway would, for one garage. */
export function apiFor(service: { url: string }, garage: Garage, permission: 'read' | 'read_write' = 'read_write') {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: ApiBody }> => {
    const token = signInternalToken(
      {
        organisationId: garage.organisationId,
        keyId: 'key_test',
        permission,
        garageId: garage.garageId,
        garage: { name: 'Test garage', timezone: 'Europe/London', currency: 'GBP' },
        requestId: `req-${Math.random().toString(36).slice(2)}`,
      },
      TEST_INTERNAL_SECRET,
    );
    const response = await fetch(`${service.url}/api/v1/garages/${garage.garageId}${path}`, {
      method,
      headers: { 'x-pitlane-internal-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await checkResponse(method, response.url, response);
    if (response.status === 204) {
      // a 204 carries no body: one that does is a failure of the test, not a detail
      const text = await response.text();
      if (text !== '') throw new Error(`${method} ${path} answered 204 with a body: ${text}`);
      return { status: 204, body: { success: true } };
    }
    return { status: response.status, body: await json(response) };
  };
}

/** A publisher on the test file's exchange, as another service would publish. */
export async function startPublisher(names: TestNames): Promise<EventBus> {
  const bus = new EventBus({
    url: infraUrls().amqpUrl,
    exchange: names.exchange,
    queue: `${names.queuePrefix}publisher`,
    logger: createLogger('publisher', 'silent'),
    metrics: new Metrics('publisher', { defaultMetrics: false }),
  });
  await bus.start();
  return bus;
}

export function customerCreated(garage: Garage, id = `cus_${Math.random().toString(36).slice(2)}`): EventEnvelope {
  return createEvent('bookings', {
    type: 'customer.created',
    organisationId: garage.organisationId,
    garageId: garage.garageId,
    data: { customer: { id, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: null } },
  });
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** `delayMs`: answer that much later (a slow receiver); 'hang': never answer */
export type Answer = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';

/** A partner's endpoint on 127.0.0.1 that records every request and answers as told. */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** decides the answer for the n-th request (0-based); default 200 */
  answer: (request: ReceivedRequest, index: number) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => ({ status: 200 })): Promise<Receiver> {
  const hanging: ServerResponse[] = [];
  const receiver: Receiver = { url: '', requests: [], answer, close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const index = receiver.requests.push(request) - 1;
      const reply = receiver.answer(request, index);
      if (reply === 'hang') {
        hanging.push(res);
        return;
      }
      const send = () => {
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body ?? '');
      };
      if (reply.delayMs) {
        hanging.push(res); // closed with the receiver if it is still waiting
        setTimeout(send, reply.delayMs);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

export async function createWebhook(
  api: ReturnType<typeof apiFor>,
  body: { url: string; events?: string[]; rateLimit?: number; description?: string },
): Promise<{ id: string; secret: string }> {
  const response = await api('POST', '/webhooks', { events: ['*'], ...body });
  if (response.status !== 201) throw new Error(`cannot create webhook: ${JSON.stringify(response.body)}`);
  return { id: response.body.data.id as string, secret: response.body.data.secret as string };
}

/**
 * Proves that something does NOT happen: `holds` must stay true for `ms`, checked every 25 ms, and
 * the test fails at the first break. Only the caller knows why `ms` is long enough, so every call
 * says in a comment which bound it proves (e.g. "a retry would be due within 100 ms").
 */
export async function staysTrue(holds: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (!(await holds())) throw new Error(`staysTrue: the condition broke within ${ms} ms`);
    if (Date.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** How many events of `type` the service's consumer has handled with `outcome` (its /metrics). */
export async function consumedCount(service: { url: string }, type: string, outcome: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((row) => row.startsWith('events_consumed_total{') && row.includes(`type="${type}"`) && row.includes(`outcome="${outcome}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
