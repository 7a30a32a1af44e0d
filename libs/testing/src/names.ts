import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';

/** Names that belong to one test file, so files running in parallel never see each other's data.
 * Isolation comes from unique names, not from wiping shared state. */
export interface TestNames {
  /** 8 random characters [a-z0-9], different on every run. */
  id: string;
  /** A MongoDB database name: `t_<slug>_<id>_<service>`, at most 63 characters of [a-z0-9_]. */
  database(service: string): string;
  /** An AMQP exchange name: `t.<slug>.<id>`. */
  exchange: string;
  /** Prefix for queue names: `t.<slug>.<id>.` */
  queuePrefix: string;
  /** Prefix for Redis keys: `t:<slug>:<id>:` */
  redisPrefix: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MAX_DB_NAME = 63;

export function randomId(length = 8): string {
  // 256 % 36 leaves a slight bias; irrelevant for uniqueness of test names.
  return Array.from(randomBytes(length), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** `label` is usually `__filename`: `/x/booking-api.test.ts` becomes the slug `booking_api`. */
export function testNames(label: string): TestNames {
  const id = randomId();
  const slug = slugify(basename(label).replace(/\.(test|spec)\.[cm]?[jt]s$/, '').replace(/\.[cm]?[jt]s$/, ''));
  return {
    id,
    database(service: string): string {
      const serviceSlug = slugify(service).slice(0, 20) || 'db';
      const room = MAX_DB_NAME - `t__${id}_${serviceSlug}`.length;
      return `t_${slug.slice(0, room)}_${id}_${serviceSlug}`;
    },
    exchange: `t.${slug}.${id}`,
    queuePrefix: `t.${slug}.${id}.`,
    redisPrefix: `t:${slug}:${id}:`,
  };
}

function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug || 'test';
}
