import { createLogger, createServiceApp } from '@pitlane/core';
import { createEvent, outboxPlugin, type EventBus, type EventEnvelope } from '@pitlane/events';
import { deleteAmqpNames, infraUrls, startEventRecorder, testNames, waitFor } from '@pitlane/testing';
import express from 'express';
import mongoose, { Schema, type Model } from 'mongoose';
import { z } from 'zod';

import { serviceAppBasics, startService, type RuntimeConfig, type ServiceDefinition, type ServiceWorker } from '@pitlane/runtime';

const names = testNames(__filename);
const { amqpUrl, mongoUrl } = infraUrls();
const logger = createLogger('runtime-test', process.env.TEST_LOG_LEVEL ?? 'silent');

interface Thing {
  _id: string;
  stoppedBy?: string;
  outbox?: EventEnvelope[];
}
interface Models {
  Thing: Model<Thing>;
}

function configFor(service: string): RuntimeConfig {
  return {
    HOST: '127.0.0.1',
    PORT: 0,
    LOG_LEVEL: 'silent',
    MONGO_URL: mongoUrl,
    MONGO_DB: names.database(service),
    AMQP_URL: amqpUrl,
    EVENTS_EXCHANGE: names.exchange,
    INTERNAL_JWT_SECRET: 'test-internal-secret-at-least-32-characters',
    BODY_LIMIT: '1mb',
  };
}

function definition(service: string, workers: ServiceDefinition<Models>['workers']): ServiceDefinition<Models> {
  return {
    name: service,
    config: configFor(service),
    registerModels: (connection) => {
      const schema = new Schema<Thing>({ _id: String, stoppedBy: String });
      schema.plugin(outboxPlugin);
      return { Thing: connection.model<Thing>('Thing', schema) };
    },
    outboxModels: (models) => [models.Thing],
    subscribe: (bus: EventBus) => bus.subscribe('test.ping', z.unknown(), () => undefined),
    buildApp: () => express().get('/ping', (_req, res) => void res.json({ ok: true })),
    workers,
    queue: `${names.queuePrefix}${service}`,
    logger,
    relayPollIntervalMs: 50,
  };
}

describe('startService workers', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    const services = ['order', 'failing', 'composed', 'metrics'];
    await deleteAmqpNames(amqpUrl, names.exchange, services.map((service) => `${names.queuePrefix}${service}`));
    for (const service of services) {
      const connection = await mongoose.createConnection(mongoUrl, { dbName: names.database(service) }).asPromise();
      await connection.dropDatabase();
      await connection.close();
    }
  });

  it('when the service closes, then HTTP, bus consumers, workers (reverse order), relay, bus and database stop in that order, and a stopping worker can still publish through the outbox', async () => {
    const recorder = await startEventRecorder(names, ['test.worker_stopped']);
    cleanups.push(() => recorder.stop());
    const order: string[] = [];
    let url = '';
    const workers: ServiceDefinition<Models>['workers'] = (deps) =>
      ['first', 'second'].map(
        (name): ServiceWorker => ({
          name,
          start: () => void order.push(`start ${name}`),
          stop: async () => {
            const httpClosed = await fetch(`${url}/ping`).then(
              () => false,
              () => true,
            );
            order.push(`stop ${name}${httpClosed ? '' : ' (HTTP still open)'}`);
            const event = createEvent('runtime-test', {
              type: 'test.worker_stopped',
              data: { worker: name },
              organisationId: 'org1',
              garageId: 'g1',
            });
            await deps.models.Thing.create({ _id: name, stoppedBy: name, outbox: [event] });
            deps.relay.nudge();
            await waitFor(async () => ((await deps.models.Thing.findById(name).select('+outbox').lean())?.outbox?.length ?? 0) === 0 || undefined, {
              timeoutMs: 5_000,
              message: `the relay did not publish ${name}'s event`,
            });
          },
        }),
      );
    const running = await startService(definition('order', workers));
    cleanups.unshift(() => running.close());
    url = running.url;
    expect(order).toEqual(['start first', 'start second']);
    expect((await fetch(`${url}/ping`)).status).toBe(200);

    const spy = (label: string, target: object, method: string) => {
      const original = (target as Record<string, () => Promise<void>>)[method]!.bind(target);
      jest.spyOn(target as Record<string, () => Promise<void>>, method).mockImplementation(async () => {
        order.push(label);
        await original();
      });
    };
    spy('bus stopConsuming', running.bus, 'stopConsuming');
    spy('relay stop', running.relay, 'stop');
    spy('bus close', running.bus, 'close');
    spy('database close', running.connection, 'close');

    await running.close();

    // (bus.close() calls stopConsuming() again, a no-op by then: only first calls count)
    expect([...new Set(order)]).toEqual([
      'start first',
      'start second',
      'bus stopConsuming',
      'stop second',
      'stop first',
      'relay stop',
      'bus close',
      'database close',
    ]);
    await recorder.next<{ worker: string }>('test.worker_stopped', (event: EventEnvelope<{ worker: string }>) => event.data.worker === 'first');
    expect(recorder.ofType<{ worker: string }>('test.worker_stopped').map((event) => event.data.worker).sort()).toEqual(['first', 'second']);
    await expect(running.close()).resolves.toBeUndefined(); // a second close is the same, finished one
  });

  it('when a worker fails to start, then the workers already started are stopped and startService rejects', async () => {
    const order: string[] = [];
    const workers: ServiceDefinition<Models>['workers'] = () => [
      { name: 'ok', start: () => void order.push('start ok'), stop: () => Promise.resolve(void order.push('stop ok')) },
      {
        name: 'broken',
        start: () => Promise.reject(new Error('cannot start')),
        stop: () => Promise.resolve(void order.push('stop broken')),
      },
    ];
    await expect(startService(definition('failing', workers))).rejects.toThrow('cannot start');
    expect(order).toEqual(['start ok', 'stop ok']);
  });
  it('when the service has a compose hook, then it runs once, before subscriptions, app and workers, and all of them and running.context get what it built', async () => {
    const calls: string[] = [];
    interface Context {
      label: string;
      models: Models;
    }
    const seen: Record<'subscribe' | 'buildApp' | 'workers', Context | undefined> = { subscribe: undefined, buildApp: undefined, workers: undefined };
    const base = definition('composed', undefined);
    const composed: ServiceDefinition<Models, Context> = {
      ...base,
      compose: (deps) => {
        calls.push('compose');
        return { label: `context #${calls.filter((call) => call === 'compose').length}`, models: deps.models };
      },
      subscribe: (bus, context) => {
        calls.push('subscribe');
        seen.subscribe = context;
        bus.subscribe('test.ping', z.unknown(), () => undefined);
      },
      buildApp: (context) => {
        calls.push('buildApp');
        seen.buildApp = context;
        return express().get('/label', (_req, res) => void res.json({ label: context.label }));
      },
      workers: (context) => {
        calls.push('workers');
        seen.workers = context;
        return [];
      },
    };

    const running = await startService(composed);
    cleanups.unshift(() => running.close());

    expect(calls).toEqual(['compose', 'subscribe', 'buildApp', 'workers']);
    expect(running.context.label).toBe('context #1');
    expect(running.metricsUrl).toBeUndefined(); // no METRICS_PORT: no internal listener
    expect(running.context.models).toBe(running.models);
    expect(seen.subscribe).toBe(running.context);
    expect(seen.buildApp).toBe(running.context);
    expect(seen.workers).toBe(running.context);
    expect(await (await fetch(`${running.url}/label`)).json()).toEqual({ label: 'context #1' });
  });

  it('when METRICS_PORT is set, then /metrics is served on that port only, not on the service port, and closes with the service', async () => {
    const base = definition('metrics', undefined);
    const config: RuntimeConfig = { ...base.config, METRICS_PORT: 0 };
    const running = await startService({
      ...base,
      config,
      buildApp: (_context, deps) => createServiceApp({ ...serviceAppBasics(config, deps), apiRoutes: (router) => router.get('/ping', (_req, res) => void res.json({ ok: true })) }),
    });
    let closed = false;
    cleanups.unshift(async () => {
      if (!closed) await running.close();
    });

    expect(running.metricsUrl).toEqual(expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/));
    const internal = await fetch(`${running.metricsUrl ?? ''}/metrics`);
    expect(internal.status).toBe(200);
    expect(await internal.text()).toContain('# TYPE');
    expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

    closed = true;
    await running.close();
    await expect(fetch(`${running.metricsUrl ?? ''}/metrics`)).rejects.toThrow();
  });

  it('when METRICS_PORT is not set, then serviceAppBasics keeps /metrics on the service port; when set, it takes it off', () => {
    const deps = { logger, metrics: {} as never, readiness: {} };
    expect(serviceAppBasics(configFor('metrics'), deps).exposeMetrics).toBe(true);
    expect(serviceAppBasics({ ...configFor('metrics'), METRICS_PORT: 9464 }, deps).exposeMetrics).toBe(false);
  });
});
