import type { Connection, Model } from 'mongoose';

import { bookingStateSchema, type BookingState } from './booking-state.model';
import { itemSchema, type ItemDocument } from './item.model';
import { movementSchema } from './movement.model';
import { noticeSchema } from './notice.model';
import { purchaseOrderSchema, type PurchaseOrderDocument } from './purchase-order.model';
import { settledReservationSchema, type SettledReservation } from './settled-reservation.model';

/** The inventory service's mongoose models, registered on its own connection. */
export interface Models {
  Item: Model<ItemDocument>;
  Movement: Model<Record<string, unknown>>;
  PurchaseOrder: Model<PurchaseOrderDocument>;
  Notice: Model<Record<string, unknown>>;
  SettledReservation: Model<SettledReservation>;
  BookingState: Model<BookingState>;
}

export function registerModels(connection: Connection): Models {
  return {
    Item: connection.model<ItemDocument>('Item', itemSchema),
    Movement: connection.model<Record<string, unknown>>('Movement', movementSchema),
    PurchaseOrder: connection.model<PurchaseOrderDocument>('PurchaseOrder', purchaseOrderSchema),
    Notice: connection.model<Record<string, unknown>>('Notice', noticeSchema),
    SettledReservation: connection.model<SettledReservation>('SettledReservation', settledReservationSchema),
    BookingState: connection.model<BookingState>('BookingState', bookingStateSchema),
  };
}
