import type { OutboxRelay } from '@pitlane/events';

import type { Config } from '../config';
import type { Repositories } from '../data-access/repositories';
import type { BookingNumbers } from './booking-numbers';
import type { CapacityStore } from './capacity-store';

/** What every use-case works with, built once by the composition root (service.ts). */
export interface UseCaseDeps {
  config: Config;
  repos: Repositories;
  capacity: CapacityStore;
  numbers: BookingNumbers;
  /** tells the outbox relay that a write just stored events, so they go out without waiting a poll */
  relay: Pick<OutboxRelay, 'nudge'>;
}
