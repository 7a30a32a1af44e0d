import type { Logger } from '@pitlane/core';
import { startService, type RunningService, type ServiceDefinition, type ServiceDeps } from '@pitlane/runtime';

import { buildApp } from './app';
import { answerEstimate, findByApprovalToken } from './application/answer-estimate';
import { sweepPendingCredits } from './application/complete-credit-note';
import { createCreditNote } from './application/create-credit-note';
import { createEstimate } from './application/create-estimate';
import { createManualInvoice } from './application/create-manual-invoice';
import { deliverPendingEstimates } from './application/deliver-estimate';
import type { UseCaseDeps } from './application/deps';
import { invoiceCompletedBooking } from './application/invoice-completed-booking';
import { keepCustomer, keepVehicle } from './application/keep-read-models';
import { recordPayment } from './application/record-payment';
import { recordRefund } from './application/record-refund';
import { renderCreditNotePdf } from './application/render-credit-note-pdf';
import { renderInvoicePdf } from './application/render-invoice-pdf';
import { sendEstimate } from './application/send-estimate';
import { updateEstimate } from './application/update-estimate';
import { voidInvoice } from './application/void-invoice';
import { periodic } from './application/periodic';
import type { Config } from './config';
import { creditNoteRepository } from './data-access/credit-note.repository';
import { estimateRepository } from './data-access/estimate.repository';
import { invoiceRepository } from './data-access/invoice.repository';
import { smtpMailer } from './data-access/mailer';
import { outboxModels, registerModels, type Models } from './data-access/models';
import { paymentRepository } from './data-access/payment.repository';
import { readModelRepository } from './data-access/read-model.repository';
import { refundRepository } from './data-access/refund.repository';
import { subscribeBookingCompleted } from './entry-points/messaging/booking.completed.handler';
import { subscribeCustomerCreated } from './entry-points/messaging/customer.created.handler';
import { subscribeCustomerUpdated } from './entry-points/messaging/customer.updated.handler';
import { subscribeVehicleCreated } from './entry-points/messaging/vehicle.created.handler';
import { subscribeVehicleDeleted } from './entry-points/messaging/vehicle.deleted.handler';
import { subscribeVehicleUpdated } from './entry-points/messaging/vehicle.updated.handler';

/** Everything routes and event handlers use, built once by compose(): reads go to a repository,
 * every change to a use-case. */
export interface BillingContext {
  config: Config;
  logger: Logger;
  repositories: ReturnType<typeof repositoriesOf>;
  useCases: ReturnType<typeof useCasesOf>;
  workers: ReturnType<typeof workersOf>;
}

function repositoriesOf(models: Models) {
  return {
    invoices: invoiceRepository(models),
    payments: paymentRepository(models),
    refunds: refundRepository(models),
    creditNotes: creditNoteRepository(models),
    estimates: estimateRepository(models),
    readModels: readModelRepository(models),
  };
}

function useCasesOf(config: Config, deps: UseCaseDeps) {
  return {
    invoiceCompletedBooking: invoiceCompletedBooking(deps),
    recordPayment: recordPayment(deps),
    voidInvoice: voidInvoice(deps),
    renderInvoicePdf: renderInvoicePdf(deps),
    recordRefund: recordRefund(deps),
    createManualInvoice: createManualInvoice(deps),
    createCreditNote: createCreditNote(deps),
    sweepPendingCredits: sweepPendingCredits(deps),
    renderCreditNotePdf: renderCreditNotePdf(deps),
    createEstimate: createEstimate(deps),
    updateEstimate: updateEstimate(deps),
    sendEstimate: sendEstimate(deps, config),
    deliverPendingEstimates: deliverPendingEstimates(deps),
    findByApprovalToken: findByApprovalToken(deps),
    answerEstimate: answerEstimate(deps),
    keepCustomer: keepCustomer(deps),
    keepVehicle: keepVehicle(deps),
  };
}

/** A credit note reserved this long ago without its document is taken as abandoned by a dead writer. */
const ABANDONED_CREDIT_MS = 30_000;

function workersOf(config: Config, useCases: ReturnType<typeof useCasesOf>, logger: Logger) {
  return {
    creditNotes: periodic('credit-note-sweep', config.CREDIT_NOTE_SWEEP_MS, () => useCases.sweepPendingCredits(ABANDONED_CREDIT_MS), logger),
    // e-mails queued while SMTP was down (send-estimate tries once at once)
    estimateMail: periodic('estimate-mail', config.MAIL_RETRY_MS, () => useCases.deliverPendingEstimates(), logger),
  };
}

/** The composition root: repositories, use-cases and workers, built once from the runtime deps. */
export function compose(config: Config, deps: ServiceDeps<Models>): BillingContext {
  const repositories = repositoriesOf(deps.models);
  const useCases = useCasesOf(config, { ...repositories, mailer: smtpMailer(config), outbox: deps.relay, logger: deps.logger });
  return { config, logger: deps.logger, repositories, useCases, workers: workersOf(config, useCases, deps.logger) };
}

export type BillingService = RunningService<Models, BillingContext>;

/** Everything main.ts and the integration tests need to run one billing instance. */
export function startBilling(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<BillingService> {
  return startService<Models, BillingContext>({
    name: 'billing',
    config,
    registerModels,
    outboxModels,
    compose: (deps) => compose(config, deps),
    subscribe: (bus, ctx) => {
      for (const subscribe of [
        subscribeBookingCompleted,
        subscribeCustomerCreated,
        subscribeCustomerUpdated,
        subscribeVehicleCreated,
        subscribeVehicleUpdated,
        subscribeVehicleDeleted,
      ]) {
        subscribe(bus, ctx);
      }
    },
    buildApp: (ctx, deps) => buildApp(config, deps, ctx),
    workers: (ctx) => Object.values(ctx.workers),
    ...overrides,
  });
}
