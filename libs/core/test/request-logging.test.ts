import { Writable } from 'node:stream';

import { createBaseApp, createLogger, listen, Metrics, type RunningServer } from '@pitlane/core';
import { Router } from 'express';

interface Line {
  level: string;
  msg: string;
  path?: string;
  route?: string;
  status?: number;
}

/** What an operator reads: one line per request with the full path; probes kept out of info. */
describe('request logging', () => {
  const lines: Line[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Line);
        done();
      },
    });
    const app = createBaseApp(
      {
        logger: createLogger('test', 'debug', stream),
        metrics: new Metrics('test', { defaultMetrics: false }),
        readiness: {},
        bodyLimit: '1kb',
        quietRequestLog: (req, res) => req.originalUrl.startsWith('/api/v1/recorded') && res.statusCode < 400,
      },
      (base) => {
        const api = Router();
        api.get('/garages/:garageId', (_req, res) => void res.json({ ok: true }));
        api.get('/recorded/:outcome', (req, res) => void res.status(req.params.outcome === 'ok' ? 200 : 409).json({ ok: true }));
        base.use('/api/v1', api);
      },
    );
    server = await listen(app, 0, '127.0.0.1');
  });

  afterAll(() => server.close());

  const completed = (path: string) => lines.filter((line) => line.msg === 'request completed' && line.path === path);

  it('when a route mounted under a prefix answers, then the line carries the full path without the query and the route template', async () => {
    expect((await fetch(`${server.url}/api/v1/garages/g1?email=someone@example.com`)).status).toBe(200);

    const [line] = completed('/api/v1/garages/g1');
    expect(line).toMatchObject({ level: 'info', route: '/api/v1/garages/:garageId', status: 200 });
    expect(JSON.stringify(lines)).not.toContain('someone@example.com');
  });

  it('when an unknown path is called, then the 404 line names the full path too', async () => {
    expect((await fetch(`${server.url}/api/v1/nothing/here`)).status).toBe(404);

    expect(completed('/api/v1/nothing/here')[0]).toMatchObject({ level: 'info', status: 404 });
  });

  it('when the app records a request elsewhere (the gateway audit), then its success line is debug and a refusal stays info', async () => {
    expect((await fetch(`${server.url}/api/v1/recorded/ok`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/recorded/conflict`)).status).toBe(409);

    expect(completed('/api/v1/recorded/ok')[0]).toMatchObject({ level: 'debug', status: 200 });
    expect(completed('/api/v1/recorded/conflict')[0]).toMatchObject({ level: 'info', status: 409 });
  });

  it('when the probes are called, then their lines are at debug, not info', async () => {
    for (const probe of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${server.url}${probe}`)).status).toBe(200);

    for (const probe of ['/healthz', '/readyz', '/metrics']) {
      expect(completed(probe).map((line) => line.level)).toEqual(['debug']);
    }
  });
});
