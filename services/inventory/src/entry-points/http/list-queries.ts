import { listQuery } from '@pitlane/core';

import { itemQuerySchema, movementQuerySchema } from './item.schemas';
import { purchaseOrderQuerySchema } from './purchase-order.schemas';

/** Every list's query string in one place: the routes parse with these and openapi.ts shows them,
 * so the document names exactly the parameters a list accepts (any other is a 400). */
const ITEM_SORT = ['name', 'sku', 'category', 'quantityOnHand', 'quantityAvailable', 'unitPrice', 'unitCost', 'createdAt', 'updatedAt'];
const ORDER_SORT = ['createdAt', 'updatedAt', 'number', 'total', 'expectedDate', 'status'];

export const lists = {
  items: listQuery({ sortable: ITEM_SORT, defaultSort: 'name', filters: itemQuerySchema.shape }),
  lowStock: listQuery({ sortable: ITEM_SORT, defaultSort: 'quantityAvailable' }),
  /** a short report read whole */
  categories: listQuery({ sortable: [], defaultSort: '', timestamps: false }),
  /** the ledger is append-only: no updatedSince; dateFrom/dateTo are not offered either */
  movements: listQuery({ sortable: ['seq', 'createdAt'], defaultSort: '-seq', timestamps: false, filters: movementQuerySchema.shape }),
  purchaseOrders: listQuery({ sortable: ORDER_SORT, defaultSort: '-createdAt', filters: purchaseOrderQuerySchema.shape }),
  purchaseOrderStats: listQuery({ sortable: [], defaultSort: '', timestamps: false, dates: 'own' }),
};
