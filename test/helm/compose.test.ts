import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

/** docker-compose.yml can run several replicas of a service (`--scale bookings=3 --scale
 * webhooks=2`): nothing a replica would collide on, and no public default for the internal secret.
 * (No Docker engine on CI machines: this checks the file itself.) */
interface ComposeService {
  ports?: string[];
  container_name?: string;
  environment?: Record<string, string>;
  command?: string[];
}
const compose = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const INFRA = ['mongo', 'redis', 'rabbitmq'];
const apps = Object.entries(compose.services).filter(([name]) => !INFRA.includes(name));

describe('docker-compose.yml', () => {
  it('when services are scaled, then only the gateway publishes a host port and no container has a fixed name', () => {
    expect(apps.map(([name]) => name).sort()).toEqual(['billing', 'bookings', 'gateway', 'inventory', 'webhooks']);
    expect(apps.filter(([, service]) => service.ports?.length).map(([name]) => name)).toEqual(['gateway']);
    expect(Object.values(compose.services).filter((service) => service.container_name)).toEqual([]);
    for (const name of INFRA) {
      for (const port of compose.services[name]!.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/); // loopback only
    }
  });

  it('when it is started, then INTERNAL_JWT_SECRET must be given and events use quorum queues', () => {
    for (const [name, service] of apps) {
      expect({ name, secret: service.environment?.INTERNAL_JWT_SECRET }).toEqual({ name, secret: expect.stringMatching(/^\$\{INTERNAL_JWT_SECRET:\?[^}]+\}$/) });
      expect({ name, queues: service.environment?.EVENTS_QUEUE_TYPE }).toEqual({ name, queues: 'quorum' });
    }
  });
});
