import { errors } from '@pitlane/core';

import type { ItemSnapshot } from '../data-access/inventory-item.repository';
import { newId } from '../data-access/ids';
import { isActive } from '../domain/booking-status';
import { partTaxRate } from '../domain/settings';
import type { BookingStatus, GarageTenant } from '../domain/types';
import type { UseCaseDeps } from './deps';
import { bookingsEvent } from './events';

/** Part lines of a booking, priced from the local read model of inventory's items. */
export class Parts {
  constructor(private readonly deps: UseCaseDeps) {}

  /**
   * A part line: refused at once (404) when the local read model does not know the item, priced and taxed from
   * it (else the garage's default parts rate), stored as `pending` with booking.parts_assigned in the same write; inventory answers with
   * inventory.reserved or inventory.reservation_failed, which turn it `reserved` or `backordered`.
   */
  async add(tenant: GarageTenant, bookingId: string, input: { itemId: string; quantity: number }) {
    const { bookings, inventoryItems, settings } = this.deps.repos;
    const booking = await bookings.require(tenant.garageId, bookingId);
    if (!isActive(booking.status as BookingStatus)) {
      throw errors.conflict('BOOKING_NOT_EDITABLE', `A ${booking.status} booking can no longer be changed.`, { status: booking.status });
    }
    const [item, garageSettings] = await Promise.all([inventoryItems.find(tenant.garageId, input.itemId), settings.load(tenant.garageId)]);
    if (!item) throw errors.notFound('Inventory item');
    const now = new Date();
    const line = {
      lineId: newId('pl'),
      itemId: item.itemId,
      sku: item.sku,
      name: item.name,
      unitPrice: item.unitPrice,
      quantity: input.quantity,
      // fixed on the line when it is added, like its price: billing invoices what the booking shows
      taxRate: partTaxRate(item.taxRate, garageSettings),
      status: 'pending' as const,
      createdAt: now,
      updatedAt: now,
    };
    const written = await bookings.writeIfUnchanged(tenant.garageId, bookingId, { status: booking.status }, { push: { parts: line } }, [
      bookingsEvent(tenant, 'booking.parts_assigned', { bookingId, lineId: line.lineId, itemId: item.itemId, quantity: input.quantity }),
    ]);
    if (!written) throw errors.conflict('BOOKING_CHANGED', 'The booking was changed by another request; retry.');
    this.deps.relay.nudge();
    return line;
  }

  async list(garageId: string, bookingId: string) {
    return (await this.deps.repos.bookings.require(garageId, bookingId)).parts;
  }

  /** inventory.item_created / inventory.adjusted: only a snapshot newer than the stored one is kept,
   * so redeliveries and late events change nothing; false when it was not newer. */
  recordItem(garageId: string, item: ItemSnapshot, occurredAt: string): Promise<boolean> {
    return this.deps.repos.inventoryItems.saveIfNewer(garageId, item, occurredAt);
  }

  /** inventory.reserved → `reserved`; inventory.reservation_failed → `backordered`. A line only moves
   * forward from the states listed, so a redelivered answer changes nothing (false). */
  markReservation(garageId: string | null | undefined, bookingId: string, lineId: string, to: 'reserved' | 'backordered'): Promise<boolean> {
    const from = to === 'reserved' ? ['pending', 'backordered'] : ['pending'];
    return this.deps.repos.bookings.setPartStatus(garageId, bookingId, lineId, from, to);
  }
}
