/**
 * The document and the routes agree, both ways: every route the five apps register (walked from
 * their express router stacks, built without infrastructure) is a documented path+method of
 * docs/openapi.json, every documented path+method is a route, and the gateway's proxy table sends
 * each garage path to the service that serves it. Excluded on purpose: the probes and metrics every
 * app serves, and the reference itself (documented by being it). The console API (`/console/api/…`)
 * is in the same document under its `Console` tag, so it is checked like the rest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger, Metrics } from '@pitlane/core';
import type { Express } from 'express';

import { buildApp as billingApp } from '../services/billing/src/app';
import { configSchema as billingConfig } from '../services/billing/src/config';
import { buildApp as bookingsApp } from '../services/bookings/src/app';
import { configSchema as bookingsConfig } from '../services/bookings/src/config';
import { buildApp as gatewayApp } from '../services/gateway/src/app';
import { configSchema as gatewayConfig } from '../services/gateway/src/config';
import { publicRoutes, resourceRoutes } from '../services/gateway/src/entry-points/http/proxy';
import { buildApp as inventoryApp } from '../services/inventory/src/app';
import { configSchema as inventoryConfig } from '../services/inventory/src/config';
import { buildApp as webhooksApp } from '../services/webhooks/src/app';
import { configSchema as webhooksConfig } from '../services/webhooks/src/config';

const EXCLUDED = new Set([
  'GET /healthz', 'GET /readyz', 'GET /metrics',
  'GET /docs', 'GET /docs/assets/scalar-standalone.js', 'GET /api/v1/openapi.json', 'GET /api/v1/openapi.yaml',
]);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** A context that answers every property with itself: route modules only keep references at build time. */
function anything(known: Record<string, unknown> = {}): never {
  const target = function () {} as unknown as object;
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => (typeof key === 'string' && key in known ? known[key] : key === 'then' ? undefined : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy as never;
}

interface Layer { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] }; rawPath?: string }

function routesOf(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) if (METHODS.includes(method)) found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, `${prefix}${typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}

/** `:garageId` and `{garageId}` both become `{}`: names are compared separately. */
const shape = (route: string) => route.replace(/:\w+|\{\w+\}/g, '{}');
const names = (route: string) => [...route.matchAll(/[:{](\w+)\}?/g)].map((m) => m[1]);

describe('the OpenAPI document and the routes', () => {
  // the secrets each service requires at start (values only need the right shape: nothing runs)
  const env = { INTERNAL_JWT_SECRET: 'x'.repeat(48), WEBHOOK_SECRETS_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`, CONSOLE_JWT_SECRET: 'y'.repeat(48) };
  const deps = () => ({ logger: createLogger('openapi-test', 'silent'), metrics: new Metrics('openapi_test'), readiness: {} }) as never;
  const configs = {
    bookings: bookingsConfig.parse(env),
    inventory: inventoryConfig.parse(env),
    billing: billingConfig.parse(env),
    webhooks: webhooksConfig.parse(env),
  };
  const apps: Record<string, Express> = {
    gateway: gatewayApp(gatewayConfig.parse(env), anything(), deps()),
    bookings: bookingsApp(configs.bookings, deps(), anything({ config: configs.bookings })),
    inventory: inventoryApp(configs.inventory, deps(), anything({ config: configs.inventory })),
    billing: billingApp(configs.billing, deps(), anything({ config: configs.billing })),
    webhooks: webhooksApp(configs.webhooks, deps(), anything({ config: configs.webhooks })),
  };
  const routes = Object.fromEntries(Object.entries(apps).map(([name, app]) => [name, routesOf(app).filter((r) => !EXCLUDED.has(r))]));
  const document = JSON.parse(readFileSync(join(__dirname, '../docs/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`),
  );
  const served = Object.values(routes).flat();

  it('when the apps are built, then each serves routes (the walk sees them)', () => {
    for (const [name, list] of Object.entries(routes)) expect({ name, count: list.length }).toEqual({ name, count: expect.any(Number) as number });
    expect(routes.bookings?.length).toBeGreaterThan(40);
    expect(routes.gateway).toEqual(expect.arrayContaining(['GET /api/v1/garages', 'GET /api/v1/garages/:garageId', 'POST /console/api/auth/login', 'GET /console/api/keys']));
  });

  it('when a service registers a route, then the document has that path and method', () => {
    const known = new Set(documented.map(shape));
    expect(served.filter((route) => !known.has(shape(route)))).toEqual([]);
  });

  it('when the document lists a path and method, then a service serves it', () => {
    const known = new Set(served.map(shape));
    expect(documented.filter((route) => !known.has(shape(route)))).toEqual([]);
  });

  it('when a garage path is served by a service, then the gateway proxies its resource to that service', () => {
    const misrouted: string[] = [];
    for (const [service, list] of Object.entries(routes)) {
      if (service === 'gateway') continue;
      for (const route of list) {
        const garage = /^\w+ \/api\/v1\/garages\/:garageId\/([^/]+)/.exec(route);
        const open = /^\w+ \/api\/v1\/public\/([^/]+)/.exec(route);
        const target = garage ? resourceRoutes[garage[1] ?? ''] : open ? publicRoutes[open[1] ?? ''] : 'unrouted';
        if (target !== service) misrouted.push(`${route} (${service}, gateway sends it to ${target ?? 'nobody'})`);
      }
    }
    expect(misrouted).toEqual([]);
  });

  it('when a route and its documented path agree, then their parameter names agree too', () => {
    const byShape = new Map(documented.map((route) => [shape(route), route]));
    const renamed = served
      .map((route) => [route, byShape.get(shape(route))] as const)
      .filter(([route, doc]) => doc !== undefined && names(route).join() !== names(doc).join())
      .map(([route, doc]) => `${route} documented as ${doc}`);
    expect(renamed).toEqual([]);
  });
});
