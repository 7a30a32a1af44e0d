import { AsyncLocalStorage } from 'node:async_hooks';

import type { InternalClaims } from './internal-auth';

/** What travels with a request or an event through async calls: the request id for logs and
 * events, the event id while a consumer runs, and the verified internal claims. */
export interface RequestContext {
  requestId: string;
  eventId?: string;
  auth?: InternalClaims;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
