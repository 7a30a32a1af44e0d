import net from 'node:net';
import { startTcpProxy, waitFor, type TcpProxy } from '@pitlane/testing';

/** A tiny echo server stands in for RabbitMQ/Redis: what goes in through the proxy must come back. */
let echo: net.Server;
let echoPort: number;
let proxy: TcpProxy;

beforeAll(async () => {
  echo = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
});

beforeEach(async () => {
  proxy = await startTcpProxy(`amqp://user:secret@localhost:${echoPort}/vhost?heartbeat=5`);
});

afterEach(() => proxy.close());

afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

describe('tcp proxy', () => {
  it('when started, then its url keeps scheme, credentials, path and query and points at the proxy port', () => {
    expect(proxy.url).toBe(`amqp://user:secret@127.0.0.1:${proxy.port}/vhost?heartbeat=5`);
  });

  it('when the target is up, then bytes travel both ways through the proxy', async () => {
    const client = await connect(proxy.port);

    expect(await roundTrip(client, 'hello')).toBe('hello');
    client.destroy();
  });

  it('when cut, then the open connection is closed and new connections are closed at once', async () => {
    const client = await connect(proxy.port);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    proxy.cut();

    await closed;
    const later = await connect(proxy.port);
    await new Promise<void>((resolve) => later.once('close', () => resolve()));
    expect(later.destroyed).toBe(true);
  });

  it('when restored after a cut, then new connections work again', async () => {
    proxy.cut();
    proxy.restore();

    const client = await connect(proxy.port);

    expect(await roundTrip(client, 'back again')).toBe('back again');
    client.destroy();
  });

  it('when closed, then the port no longer accepts connections', async () => {
    const { port } = proxy;

    await proxy.close();

    await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined); // a reset after a cut is expected; 'close' tells the test
      resolve(socket);
    });
  });
}

async function roundTrip(socket: net.Socket, text: string): Promise<string> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  socket.write(text);
  return waitFor(() => received.length >= text.length && received, { timeoutMs: 2000, message: 'no echo' });
}
