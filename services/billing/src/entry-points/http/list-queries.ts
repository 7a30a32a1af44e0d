import { listQuery } from '@pitlane/core';

import { creditNoteFilters, estimateFilters, invoiceFilters, paymentFilters } from './schemas';

/** Every list's query string in one place: the routes parse with these and openapi.ts shows them,
 * so the document names exactly the parameters a list accepts (any other is a 400). `dateFrom`/
 * `dateTo` keep their own meaning (issue date, payment day); createdFrom/createdTo/updatedSince
 * select on the record's timestamps. */
export const lists = {
  invoices: listQuery({
    sortable: ['createdAt', 'issueDate', 'number', 'total', 'balance', 'status'],
    defaultSort: '-issueDate,-number',
    dates: 'own',
    filters: invoiceFilters.shape,
    repeatable: ['status'],
  }),
  /** payments live inside their invoice: no timestamps of their own to select on */
  invoicePayments: listQuery({ sortable: ['paidAt', 'amount'], defaultSort: 'paidAt', dates: 'own', timestamps: false }),
  payments: listQuery({ sortable: ['paidAt', 'amount', 'createdAt'], defaultSort: '-paidAt', dates: 'own', timestamps: false, filters: paymentFilters.shape, repeatable: ['method'] }),
  creditNotes: listQuery({ sortable: ['issueDate', 'number', 'total', 'createdAt'], defaultSort: '-issueDate,-number', dates: 'own', filters: creditNoteFilters.shape }),
  /** an estimate has no date of its own: dateFrom/dateTo are its creation day (UTC) */
  estimates: listQuery({ sortable: ['createdAt', 'updatedAt', 'number', 'total', 'status'], defaultSort: '-createdAt', filters: estimateFilters.shape, repeatable: ['status'] }),
};
