import { createServer, request, type Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { upstreamAgent } from '../../src/entry-points/http/proxy';

/** One GET through the agent; resolves with whether it went out on a reused socket. */
function get(url: string, agent: Agent): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.reusedSocket));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the gateway\'s keep-alive pool towards a service', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.keepAliveTimeout = 2_000; // announced as `Keep-Alive: timeout=2`
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('when a socket has been idle close to the service\'s keep-alive timeout, then the gateway has already dropped it', async () => {
    const agent = upstreamAgent(url, 15_000);
    expect(await get(url, agent)).toBe(false);
    expect(await get(url, agent)).toBe(true); // kept alive while fresh
    // the service closes at 2 s; the gateway must not still hold the socket at 1.5 s (the race)
    await sleep(1_500);
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(0);
    expect(await get(url, agent)).toBe(false);
    agent.destroy();
  });
});
