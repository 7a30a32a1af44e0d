import net from 'node:net';

/** One command a client sent: its name and the collection (or 1 for database commands). */
export interface SeenCommand {
  name: string;
  target: string;
}

/** A TCP proxy in front of MongoDB that records every command clients send through it, read from
 * the wire (OP_MSG): what the database really receives, whatever the driver or ORM above does. */
export interface MongoCommandCounter {
  /** MONGO_URL for the code under test: the target with host 127.0.0.1 and the proxy's port. */
  url: string;
  /** Commands seen since the last reset, without connection handshakes and heartbeats. */
  commands(): SeenCommand[];
  reset(): void;
  close(): Promise<void>;
}

const OP_MSG = 2013;
/** Connection upkeep, not work done for a request. */
const UPKEEP = new Set(['hello', 'ismaster', 'ping', 'endsessions', 'saslstart', 'saslcontinue', 'buildinfo', 'getparameter']);

/** The first element of a BSON document: its key (the command name) and, if a string, its value. */
function firstElement(buffer: Buffer, at: number): SeenCommand {
  const type = buffer[at + 4];
  const keyEnd = buffer.indexOf(0, at + 5);
  const name = buffer.toString('utf8', at + 5, keyEnd);
  if (type !== 0x02) return { name, target: '1' };
  const length = buffer.readInt32LE(keyEnd + 1);
  return { name, target: buffer.toString('utf8', keyEnd + 5, keyEnd + 4 + length) };
}

export async function startMongoCommandCounter(target: string): Promise<MongoCommandCounter> {
  const targetUrl = new URL(target);
  const host = targetUrl.hostname.replace(/^\[|\]$/g, '');
  const port = targetUrl.port ? Number(targetUrl.port) : 27017;
  let seen: SeenCommand[] = [];
  const open = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect({ host, port });
    open.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      // whole messages only: a header says how long its message is
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 16 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        // OP_MSG: header (16), flagBits (4), then section kind 0 holding the command document
        if (pending.readInt32LE(12) === OP_MSG && pending[20] === 0) {
          const command = firstElement(pending, 21);
          if (!UPKEEP.has(command.name.toLowerCase())) seen.push(command);
        }
        pending = pending.subarray(length);
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.toString(),
    commands: () => [...seen],
    reset: () => {
      seen = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
