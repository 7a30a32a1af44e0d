import { eventTypes } from '@pitlane/contracts';

export const TEST_EVENT_TYPE = 'webhook.test';
export const DISABLED_EVENT_TYPE = 'webhook.disabled';

/** What a subscription may list: every domain event, our own operational events, or `*`. */
export const subscribableTypes: readonly string[] = [...eventTypes, TEST_EVENT_TYPE, DISABLED_EVENT_TYPE];

export function unknownEventTypes(events: string[]): string[] {
  return events.filter((type) => type !== '*' && !subscribableTypes.includes(type));
}

export function subscribesTo(events: string[], type: string): boolean {
  return events.includes('*') || events.includes(type);
}
