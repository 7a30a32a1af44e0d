import type { Logger } from '@pitlane/core';

import type { CreditNoteRepository } from '../data-access/credit-note.repository';
import type { EstimateRepository } from '../data-access/estimate.repository';
import type { Mailer } from '../data-access/mailer';
import type { InvoiceRepository } from '../data-access/invoice.repository';
import type { PaymentRepository } from '../data-access/payment.repository';
import type { ReadModelRepository } from '../data-access/read-model.repository';
import type { RefundRepository } from '../data-access/refund.repository';

/** The garage a request acts for, from the gateway's token (the gateway owns garages). */
export interface Tenant {
  organisationId: string;
  garageId: string;
  currency: string;
  timezone: string;
}

/** The outbox relay, told that a write just left events to publish (so they go out now, not at the next poll). */
export interface Outbox {
  nudge(): void;
}

/** What the use-cases are built from, once, by the composition root (service.ts). */
export interface UseCaseDeps {
  invoices: InvoiceRepository;
  payments: PaymentRepository;
  refunds: RefundRepository;
  creditNotes: CreditNoteRepository;
  estimates: EstimateRepository;
  readModels: ReadModelRepository;
  mailer: Mailer;
  outbox: Outbox;
  logger: Logger;
}
