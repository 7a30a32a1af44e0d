import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { serviceEnv, type TestNames } from '@pitlane/testing';

import { readConfig, type Config } from '../src/config';
import type { Provisioning } from '../src/application/provisioning';
import type { Tier } from '../src/data-access/tenancy.model';
import { startGateway, type GatewayService } from '../src/service';

export interface EchoUpstream {
  url: string;
  seen: { method: string; url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** Stands in for a service behind the gateway: answers 200 with what it received (after delayMs). */
export function startEchoUpstream(delayMs = 0): Promise<EchoUpstream> {
  const seen: EchoUpstream['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ success: true, data: { method: req.method, url: req.url, body } }));
      }, delayMs);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export function gatewayConfig(names: TestNames, extra: Record<string, string> = {}): Config {
  return readConfig(serviceEnv(names, 'gateway', extra));
}

export async function startTestGateway(names: TestNames, extra: Record<string, string> = {}): Promise<GatewayService> {
  return startGateway(gatewayConfig(names, extra));
}

/** The gateway's own provisioning: it broadcasts revocations on the gateway's Redis, as the admin CLI does. */
export function provisioningFor(gateway: GatewayService): Provisioning {
  return gateway.context.provisioning;
}

/** An organisation with one garage and a key of the given permission; returns ids and the raw key. */
export async function tenant(
  provisioning: Provisioning,
  id: string,
  options: { tier?: Tier; permission?: 'read' | 'read_write'; apiAccessEnabled?: boolean; maxActiveKeys?: number } = {},
) {
  await provisioning.upsertOrganisation({
    _id: id,
    name: `Org ${id}`,
    tier: options.tier ?? 'standard',
    apiAccessEnabled: options.apiAccessEnabled ?? true,
    maxActiveKeys: options.maxActiveKeys ?? 10,
  });
  const garageId = `gar_${id}`;
  await provisioning.upsertGarage({ _id: garageId, organisationId: id, name: `Garage ${id}`, timezone: 'Europe/London', currency: 'GBP' });
  const { key, rawKey } = await provisioning.createKey({ organisationId: id, name: 'k', permission: options.permission ?? 'read_write' });
  return { organisationId: id, garageId, keyId: key._id, rawKey };
}

/** A gateway whose services are all one echo upstream, started before the file's tests and stopped
 * (database dropped) after them. Read `.gateway` / `.echo` inside tests. */
export function gatewayWithEcho(names: TestNames, extra: Record<string, string> = {}) {
  const context = {} as { gateway: GatewayService; echo: EchoUpstream };
  beforeAll(async () => {
    context.echo = await startEchoUpstream();
    const url = context.echo.url;
    context.gateway = await startTestGateway(names, { BOOKINGS_URL: url, INVENTORY_URL: url, BILLING_URL: url, WEBHOOKS_URL: url, ...extra });
  });
  afterAll(async () => {
    await context.gateway.connection.dropDatabase();
    await context.gateway.close();
    await context.echo.close();
  });
  return context;
}
