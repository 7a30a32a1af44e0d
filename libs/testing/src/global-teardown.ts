import type { StartedTestContainer } from 'testcontainers';
import { CONTAINERS_KEY } from './global-setup';

/** Jest globalTeardown: stops the containers global-setup started (servers found through the
 * environment or `npm run infra:up` are left running: they are not ours). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { [CONTAINERS_KEY]?: StartedTestContainer[] };
  const containers = holder[CONTAINERS_KEY] ?? [];
  holder[CONTAINERS_KEY] = [];
  await Promise.allSettled(containers.map((container) => container.stop()));
}
