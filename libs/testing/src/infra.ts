/** Where the shared test infrastructure lives. Global setup fills these variables (from the
 * environment, the local `npm run infra:up` servers or testcontainers) before any test file runs. */

export const NO_INFRA_MESSAGE =
  'No MongoDB/Redis/RabbitMQ for the tests: set MONGO_URL, REDIS_URL and AMQP_URL, or run `npm run infra:up` ' +
  '(installs and starts them on Debian), or start a Docker engine so testcontainers can.';

export interface InfraUrls {
  mongoUrl: string;
  redisUrl: string;
  amqpUrl: string;
}

export function infraUrls(): InfraUrls {
  const { MONGO_URL: mongoUrl, REDIS_URL: redisUrl, AMQP_URL: amqpUrl } = process.env;
  if (!mongoUrl || !redisUrl || !amqpUrl) throw new Error(NO_INFRA_MESSAGE);
  return { mongoUrl, redisUrl, amqpUrl };
}
