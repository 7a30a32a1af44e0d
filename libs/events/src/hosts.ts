/**
 * The broker addresses a client may connect to: AMQP_URLS, else AMQP_URL, each a comma-separated
 * list (`amqp://u:p@rabbit-0:5672,amqp://u:p@rabbit-1:5672`). A client of a RabbitMQ cluster lists
 * every node, so losing the node it is connected to means reconnecting to the next one, not waiting
 * for that node to come back.
 */
export function amqpUrlsOf(config: { AMQP_URL: string; AMQP_URLS?: string | undefined }): string[] {
  const list = (config.AMQP_URLS?.trim() ? config.AMQP_URLS : config.AMQP_URL)
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  if (list.length === 0) throw new Error('no AMQP URL configured');
  return list;
}

/** The URL without its credentials, for logs and metrics. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
