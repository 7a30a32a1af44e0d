import type { StartedTestContainer } from 'testcontainers';
import { NO_INFRA_MESSAGE } from './infra';
import { answers } from './infra-probe';

/** Jest globalSetup: finds MongoDB, Redis and RabbitMQ for the whole run and exports their URLs in
 * MONGO_URL / REDIS_URL / AMQP_URL (jest hands process.env set here to every worker).
 * Order: variables already set → testcontainers → a clear error saying what to run.
 * (`npm run test:all` starts the local servers with scripts/infra-up.sh and sets the variables.) */

type Kind = 'mongo' | 'redis' | 'amqp';
const ENV: Record<Kind, string> = { mongo: 'MONGO_URL', redis: 'REDIS_URL', amqp: 'AMQP_URL' };
const KINDS: Kind[] = ['mongo', 'redis', 'amqp'];

/** Shared with global-teardown.ts: both run in jest's parent process. */
export const CONTAINERS_KEY = Symbol.for('pitlane.testing.containers');
type Holder = { [CONTAINERS_KEY]?: StartedTestContainer[] };

export default async function globalSetup(): Promise<void> {
  const sources: string[] = [];
  const missing: Kind[] = [];
  for (const kind of KINDS) {
    const fromEnv = process.env[ENV[kind]];
    if (fromEnv) {
      if (!(await answers(fromEnv, kind))) {
        throw new Error(`${ENV[kind]}=${redact(fromEnv)} does not answer within 3 s. ${NO_INFRA_MESSAGE}`);
      }
      sources.push(`${kind} from ${ENV[kind]}`);
    } else {
      missing.push(kind);
    }
  }
  if (missing.length > 0) {
    if (!(await containerRuntimeAnswers())) throw new Error(NO_INFRA_MESSAGE);
    const started = await startContainers(missing);
    for (const [kind, url] of started) {
      process.env[ENV[kind]] = url;
      sources.push(`${kind} in a testcontainer`);
    }
  }
  process.stdout.write(`\n[pitlane/testing] infrastructure: ${sources.join(', ')}\n`);
}

async function containerRuntimeAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainers(kinds: Kind[]): Promise<Array<[Kind, string]>> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { RedisContainer } = await import('@testcontainers/redis');
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  const holder = globalThis as Holder;
  const containers = (holder[CONTAINERS_KEY] ??= []);

  const start = async (kind: Kind): Promise<[Kind, string]> => {
    if (kind === 'mongo') {
      const mongo = await new GenericContainer('mongo:7')
        .withExposedPorts(27017)
        .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
        .start();
      containers.push(mongo);
      return [kind, `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`];
    }
    if (kind === 'redis') {
      const redis = await new RedisContainer('redis:7').start();
      containers.push(redis);
      return [kind, redis.getConnectionUrl()];
    }
    const rabbit = await new RabbitMQContainer('rabbitmq:3-management').start();
    containers.push(rabbit);
    return [kind, `amqp://guest:guest@${rabbit.getHost()}:${rabbit.getMappedPort(5672)}`];
  };
  return Promise.all(kinds.map(start));
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
