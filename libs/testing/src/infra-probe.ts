import net from 'node:net';

/** Answers whether a server behind `url` is reachable within `timeoutMs`. Redis must also answer a PING
 * (a TCP accept alone could be a half-started server); MongoDB and AMQP only need to accept. */
export async function answers(url: string, kind: 'mongo' | 'redis' | 'amqp', timeoutMs = 3000): Promise<boolean> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[|\]$/g, '');
    port = Number(parsed.port) || { mongo: 27017, redis: 6379, amqp: 5672 }[kind];
  } catch {
    return false; // e.g. a multi-host MongoDB URL: let the driver judge it
  }
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
      if (kind !== 'redis') return finish(true);
      socket.write('PING\r\n');
      // +PONG, or -NOAUTH when a password is required: either way Redis is there.
      socket.once('data', (data) => finish(/^[+-]/.test(data.toString('latin1'))));
    });
  });
}
