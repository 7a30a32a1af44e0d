import net from 'node:net';

/** Answers whether a server behind `url` is reachable within `timeoutMs`. Redis must also answer a PING
 * (a TCP accept alone could be a half-started server); MongoDB and AMQP only need to accept. */
export async function answers(url: string, kind: 'mongo' | 'redis' | 'amqp', timeoutMs = 3000): Promise<boolean> {
  const address = firstHost(url);
  if (!address) return false;
  const { host } = address;
  const port = address.port ?? { mongo: 27017, redis: 6379, amqp: 5672 }[kind];
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('error', () => finish(false));
    socket.once('connect', () => {
      if (kind !== 'redis' || url.startsWith('rediss:')) return finish(true); // no PING through TLS here
      socket.write('PING\r\n');
      // +PONG, or -NOAUTH when a password is required: either way Redis is there.
      socket.once('data', (data) => finish(/^[+-]/.test(data.toString('latin1'))));
    });
  });
}

/** Host and port of the first host in a URL; handles multi-host MongoDB URLs and [IPv6] literals. */
function firstHost(url: string): { host: string; port?: number } | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(url);
  const first = match?.[1]?.split(',')[0];
  if (!first) return undefined;
  const parts = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(first);
  const host = parts?.[1] ?? parts?.[2];
  if (!host) return undefined;
  return parts?.[3] ? { host, port: Number(parts[3]) } : { host };
}
