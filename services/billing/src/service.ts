import type { Logger } from '@pitlane/core';
import { startService, type RunningService, type ServiceDefinition, type ServiceDeps } from '@pitlane/runtime';

import { buildApp } from './app';
import { answerEstimate, findByApprovalToken } from './application/answer-estimate';
import { createEstimate } from './application/create-estimate';
import type { UseCaseDeps } from './application/deps';
import { invoiceCompletedBooking } from './application/invoice-completed-booking';
import { keepCustomer, keepVehicle } from './application/keep-read-models';
import { recordPayment } from './application/record-payment';
import { renderInvoicePdf } from './application/render-invoice-pdf';
import { sendEstimate } from './application/send-estimate';
import { updateEstimate } from './application/update-estimate';
import { voidInvoice } from './application/void-invoice';
import type { Config } from './config';
import { estimateRepository } from './data-access/estimate.repository';
import { invoiceRepository } from './data-access/invoice.repository';
import { outboxModels, registerModels, type Models } from './data-access/models';
import { paymentRepository } from './data-access/payment.repository';
import { readModelRepository } from './data-access/read-model.repository';
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
}

function repositoriesOf(models: Models) {
  return {
    invoices: invoiceRepository(models),
    payments: paymentRepository(models),
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
    createEstimate: createEstimate(deps),
    updateEstimate: updateEstimate(deps),
    sendEstimate: sendEstimate(deps, config),
    findByApprovalToken: findByApprovalToken(deps),
    answerEstimate: answerEstimate(deps),
    keepCustomer: keepCustomer(deps),
    keepVehicle: keepVehicle(deps),
  };
}

/** The composition root: repositories and use-cases, built once from the runtime deps. */
export function compose(config: Config, deps: ServiceDeps<Models>): BillingContext {
  const repositories = repositoriesOf(deps.models);
  const useCases = useCasesOf(config, { ...repositories, outbox: deps.relay, logger: deps.logger });
  return { config, logger: deps.logger, repositories, useCases };
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
    ...overrides,
  });
}
