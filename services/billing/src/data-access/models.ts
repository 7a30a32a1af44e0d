import type { Connection, Model } from 'mongoose';

import { creditNoteSchema, type CreditNoteDoc } from './credit-note.model';
import { counterSchema, type CounterDoc } from './counter.model';
import { customerSchema, type CustomerDoc } from './customer.model';
import { estimateSchema, type EstimateDoc } from './estimate.model';
import { invoiceSchema, type InvoiceDoc } from './invoice.model';
import { vehicleSchema, type VehicleDoc } from './vehicle.model';

/** The billing service's mongoose models, registered on its own connection. */
export interface Models {
  Customer: Model<CustomerDoc>;
  Vehicle: Model<VehicleDoc>;
  Counter: Model<CounterDoc>;
  Invoice: Model<InvoiceDoc>;
  Estimate: Model<EstimateDoc>;
  CreditNote: Model<CreditNoteDoc>;
}

export function registerModels(connection: Connection): Models {
  return {
    Customer: connection.model<CustomerDoc>('Customer', customerSchema, 'customers'),
    Vehicle: connection.model<VehicleDoc>('Vehicle', vehicleSchema, 'vehicles'),
    Counter: connection.model<CounterDoc>('Counter', counterSchema, 'counters'),
    Invoice: connection.model<InvoiceDoc>('Invoice', invoiceSchema, 'invoices'),
    Estimate: connection.model<EstimateDoc>('Estimate', estimateSchema, 'estimates'),
    CreditNote: connection.model<CreditNoteDoc>('CreditNote', creditNoteSchema, 'creditNotes'),
  };
}

/** The models whose documents carry outbox events (see @pitlane/events outboxPlugin). */
export function outboxModels(models: Models): Model<never>[] {
  return [models.Invoice, models.Estimate, models.CreditNote] as unknown as Model<never>[];
}
