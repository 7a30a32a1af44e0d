import net from 'node:net';

/** A TCP proxy in front of one broker/Redis/MongoDB, so a test can take that dependency "down" for
 * the code under test only, without disturbing the shared server other test files use. */
export interface TcpProxy {
  port: number;
  /** The target URL with host 127.0.0.1 and the proxy port; scheme, credentials, path and query kept. */
  url: string;
  /** Destroys every open connection (both sides) and closes new ones at once, until `restore()`. */
  cut(): void;
  /** Accepts and pipes connections again. */
  restore(): void;
  close(): Promise<void>;
}

const DEFAULT_PORTS: Record<string, number> = {
  'mongodb:': 27017,
  'redis:': 6379,
  'rediss:': 6379,
  'amqp:': 5672,
  'amqps:': 5671,
};

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const targetUrl = new URL(target);
  const targetHost = targetUrl.hostname.replace(/^\[|\]$/g, '');
  const targetPort = targetUrl.port ? Number(targetUrl.port) : DEFAULT_PORTS[targetUrl.protocol];
  if (!targetHost || !targetPort) throw new Error(`startTcpProxy: cannot tell host and port of ${target}`);

  const open = new Set<net.Socket>();
  let isCut = false;

  const track = (socket: net.Socket): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };

  const server = net.createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: targetHost, port: targetPort });
    track(client);
    track(upstream);
    // Either side failing or closing ends the pair, as a real network failure would.
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;

  const proxyUrl = new URL(target);
  proxyUrl.hostname = '127.0.0.1';
  proxyUrl.port = String(port);

  const destroyAll = (): void => {
    for (const socket of open) socket.destroy();
    open.clear();
  };

  return {
    port,
    url: proxyUrl.toString(),
    cut(): void {
      isCut = true;
      destroyAll();
    },
    restore(): void {
      isCut = false;
    },
    close(): Promise<void> {
      isCut = true;
      destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
