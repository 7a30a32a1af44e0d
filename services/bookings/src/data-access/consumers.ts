import type { EventData } from '@pitlane/contracts';
import { applyOnce, type EventEnvelope, type HandlerOutcome } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';
import type { Model } from 'mongoose';

import type { Models } from './models';

/** Snapshot upsert, idempotent and order-safe: only an event newer than the stored snapshot
 * writes; a redelivery or an older event finds no match, tries to insert the same _id and gets 11000. */
export async function upsertInventoryItem(models: Models, event: EventEnvelope<EventData<'inventory.item_created'>>): Promise<HandlerOutcome> {
  if (!event.garageId) return 'duplicate';
  const { item } = event.data;
  const key = `${event.garageId}|${item.id}`;
  try {
    await models.InventoryItem.updateOne(
      { _id: key, sourceOccurredAt: { $lt: event.occurredAt } },
      {
        $set: {
          garageId: event.garageId,
          itemId: item.id,
          sku: item.sku,
          name: item.name,
          unitPrice: item.unitPrice,
          currency: item.currency,
          quantityAvailable: item.quantityAvailable,
          sourceOccurredAt: event.occurredAt,
        },
      },
      { upsert: true },
    );
    return 'handled';
  } catch (error) {
    if (isDuplicateKeyError(error)) return 'duplicate';
    throw error;
  }
}

/** inventory.reserved → `reserved`; inventory.reservation_failed → `backordered`. A line only moves
 * forward from the states listed, so a redelivered answer changes nothing. */
export async function setPartStatus(
  models: Models,
  event: EventEnvelope<{ bookingId: string; lineId: string }>,
  to: 'reserved' | 'backordered',
): Promise<HandlerOutcome> {
  const from = to === 'reserved' ? ['pending', 'backordered'] : ['pending'];
  const result = await models.Booking.updateOne(
    { _id: event.data.bookingId, garageId: event.garageId, parts: { $elemMatch: { lineId: event.data.lineId, status: { $in: from } } } },
    // arrayFilters rather than the positional `$`: the stand-in cannot resolve `$` from an $elemMatch with operators
    { $set: { 'parts.$[line].status': to, 'parts.$[line].updatedAt': new Date() } },
    { arrayFilters: [{ 'line.lineId': event.data.lineId, 'line.status': { $in: from } }] },
  );
  return result.modifiedCount === 1 ? 'handled' : 'duplicate';
}

/** invoice.paid adds to the customer's lifetime spend once per event id. */
export async function addLifetimeSpend(models: Models, event: EventEnvelope<EventData<'invoice.paid'>>): Promise<HandlerOutcome> {
  const { invoice } = event.data;
  // applyOnce is generic over a plain model; the customer schema has the processedEventIds it needs
  const customers = models.Customer as unknown as Model<{ _id: string; garageId: string; lifetimeSpend: number }>;
  const outcome = await applyOnce(customers, { _id: invoice.customerId, garageId: event.garageId }, { $inc: { lifetimeSpend: invoice.amountPaid } }, event.id);
  return outcome === 'handled' ? 'handled' : 'duplicate';
}
