import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { WebhooksContext } from '../../service';

/** Every event on the exchange (known types checked against their contract by the bus): fanned out
 * into one delivery per subscription that wants it (see application/fan-out-event.ts). */
export function anyEventHandler(ctx: WebhooksContext) {
  return (event: EventEnvelope): Promise<HandlerOutcome> => ctx.useCases.fanOutEvent(event);
}
