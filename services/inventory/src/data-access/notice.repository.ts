import type { EventEnvelope } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';

import type { Models } from './models';

export type NoticeRepository = ReturnType<typeof noticeRepository>;

/** Notices carry events that belong to no item, keyed by the consumed event. */
export function noticeRepository({ Notice }: Pick<Models, 'Notice'>) {
  return {
    /** false when a notice with this key exists already (a redelivery): nothing is published twice */
    async insert(id: string, garageId: string, events: EventEnvelope[]): Promise<boolean> {
      try {
        await Notice.create({ _id: id, garageId, createdAt: new Date(), outbox: events });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },
  };
}
