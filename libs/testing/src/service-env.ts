import { infraUrls } from './infra';
import type { TestNames } from './names';

/** The secret the tests' gateway tokens are signed with. */
export const TEST_INTERNAL_SECRET = 'test-internal-secret-at-least-32-characters';

/** Environment for starting one service in-process on port 0 with this test file's own database,
 * exchange and Redis prefix; pass it to the service's readConfig(). */
export function serviceEnv(names: TestNames, service: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { mongoUrl, amqpUrl, redisUrl } = infraUrls();
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: mongoUrl,
    MONGO_DB: names.database(service),
    AMQP_URL: amqpUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: names.redisPrefix,
    EVENTS_EXCHANGE: names.exchange,
    INTERNAL_JWT_SECRET: TEST_INTERNAL_SECRET,
    ...extra,
  };
}
