import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { testNames } from '@pitlane/testing';

import { provisioningFor, startTestGateway, tenant } from './factories';

const names = testNames(__filename);
const UPSTREAM_KEEP_ALIVE_MS = 3_000;

/** npm run fuzz found a POST answered 503 "socket hang up": the gateway reused an idle upstream
 * socket at the moment the service's keep-alive timeout closed it (a POST is not retried). The
 * gateway must close idle upstream sockets before the service's announced `Keep-Alive: timeout`. */
describe('gateway: idle upstream sockets', () => {
  let upstream: Server;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const sockets: { socket: Socket; endedByGateway: boolean; closedAt: number | null }[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{}}'));
    });
    upstream.keepAliveTimeout = UPSTREAM_KEEP_ALIVE_MS; // announced as `Keep-Alive: timeout=3`
    upstream.on('connection', (socket: Socket) => {
      const entry = { socket, endedByGateway: false, closedAt: null as number | null };
      socket.on('end', () => (entry.endedByGateway = true)); // the peer's FIN: the gateway closed it
      socket.on('close', () => (entry.closedAt = Date.now()));
      sockets.push(entry);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await startTestGateway(names, { BOOKINGS_URL: url, INVENTORY_URL: url, BILLING_URL: url, WEBHOOKS_URL: url });
  });

  afterAll(async () => {
    await gateway.connection.dropDatabase();
    await gateway.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('when a service announces its keep-alive timeout, then the gateway closes the idle socket before the service would', async () => {
    const { rawKey, garageId } = await tenant(provisioningFor(gateway), 'org_keepalive');
    const post = () =>
      fetch(`${gateway.url}/api/v1/garages/${garageId}/customers`, {
        method: 'POST',
        headers: { 'x-api-key': rawKey, 'content-type': 'application/json' },
        body: '{"firstName":"Ada","lastName":"Lovelace"}',
      });

    expect((await post()).status).toBe(200);
    const answeredAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, UPSTREAM_KEEP_ALIVE_MS + 500));

    const [first] = sockets;
    expect(first?.endedByGateway).toBe(true);
    expect((first?.closedAt ?? Infinity) - answeredAt).toBeLessThan(UPSTREAM_KEEP_ALIVE_MS);
    // and the next POST goes out on a fresh socket
    expect((await post()).status).toBe(200);
    expect(sockets).toHaveLength(2);
  });
});
