import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import { addLifetimeSpend } from '../../data-access/consumers';
import type { Models } from '../../data-access/models';

/** invoice.paid: the customer's lifetime spend grows by the amount paid (once per event). */
export const invoicePaidHandler =
  (models: Models): EventHandler<EventData<'invoice.paid'>> =>
  (event) =>
    addLifetimeSpend(models, event);
